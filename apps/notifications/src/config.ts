import { services } from "@tasks/catalog";
import { baseEnvSchema, loadEnv } from "@tasks/shared";
import { z } from "zod";

/** Non-secret settings; SMTP credentials, VAPID keys, the JWT key and the database URL come from the secret store. */
export const notificationsEnvSchema = baseEnvSchema.extend({
  SMTP_HOST: z.string().min(1),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).default(587),
  SMTP_TLS: z.enum(["implicit", "starttls", "none"]).default("starttls"),
  /** Whether the SMTP server needs a login (credentials read from the secret store). */
  SMTP_AUTH: z.enum(["true", "false"]).default("true"),
  MAIL_FROM: z.string().min(3),
  /** Consecutive SMTP failures that open the email circuit breaker (sends then fail fast). */
  SMTP_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** Seconds the email circuit stays open before one trial send. */
  SMTP_BREAKER_COOLDOWN_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  VAPID_SUBJECT: z.string().regex(/^(mailto:|https:)/, "must start with mailto: or https:"),
  /** Attempts per channel before a failed delivery is recorded for good. */
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(20).default(3),
  /** Interval between Dapr's re-triggers of a failed reminder callback (Go duration). */
  JOB_RETRY_INTERVAL: z
    .string()
    .regex(/^\d+(ms|s|m|h)$/)
    .default("30s"),
  /** Notifications older than this many days are archived by the cron binding. */
  ARCHIVE_AFTER_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(100).default(10),
});

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

export function loadNotificationsConfig(env: Readonly<Record<string, string | undefined>> = process.env) {
  const parsed = loadEnv(notificationsEnvSchema, env);
  return { ...parsed, PORT: parsed.PORT ?? services.notifications.port };
}
