import { Temporal } from "@js-temporal/polyfill";
import { instantSchema } from "@tasks/shared";
import { z } from "zod";
import { HH_MM } from "../quiet-hours.js";

const isZone = (zone: string): boolean => {
  try {
    Temporal.Now.zonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
};

export const listQuerySchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
  unread: z.enum(["true", "false"]).optional(),
});

const hhmm = z.string().regex(HH_MM, "Expected a HH:MM time (00:00-23:59).");

export const preferencesPatchSchema = z.strictObject({
  channels: z.strictObject({ email: z.boolean(), inapp: z.boolean(), push: z.boolean() }).partial().optional(),
  remindersEnabled: z.boolean().optional(),
  quietHours: z.strictObject({ start: hhmm, end: hhmm }).nullable().optional(),
  timeZone: z.string().max(64).refine(isZone, "Unknown IANA time zone.").optional(),
  defaultReminderMinutes: z
    .number()
    .int()
    .min(0)
    .max(60 * 24 * 28)
    .nullable()
    .optional(),
  email: z.email().max(254).nullable().optional(),
});
export type PreferencesPatch = z.infer<typeof preferencesPatchSchema>;

const base64url = z
  .string()
  .min(16)
  .max(256)
  .regex(/^[A-Za-z0-9_-]+={0,2}$/, "Expected base64url.");

export const pushSubscriptionSchema = z.object({
  endpoint: z.url({ protocol: /^https$/ }).max(2048),
  keys: z.object({ p256dh: base64url, auth: base64url }),
});

export const idParamSchema = z.uuid();

/** POST /{id}/snooze: 5, 15 or 60 minutes from now, or until a chosen instant (checked against the clock by the handler). */
export const snoozeSchema = z
  .strictObject({
    minutes: z.union([z.literal(5), z.literal(15), z.literal(60)], { message: "Snooze for 5, 15 or 60 minutes." }).optional(),
    until: instantSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if ((b.minutes === undefined) === (b.until === undefined))
      ctx.addIssue({ code: "custom", path: ["minutes"], message: "Give either minutes (5, 15 or 60) or until (an instant)." });
  });
export type SnoozeRequest = z.infer<typeof snoozeSchema>;
