/**
 * Request schemas of the tasks API: the single source for validation, types and the OpenAPI
 * document. Cross-field rules (dueAt needs timeZone; reminders and recurrence need dueAt) are
 * checked on the merged task by `taskRuleErrors`, so create and PATCH report them the same way.
 */
import {
  createOccurrenceRequestSchema,
  instantSchema,
  priorities,
  repeatModes,
  taskSnapshotSchema,
  taskStatuses,
  type FieldError,
  type RepeatMode,
} from "@tasks/shared";
import { z } from "zod";
import { completionRuleProblem, parseRecurrence, RecurrenceRuleError, scheduleProblem } from "@tasks/shared/recurrence/index";
import { checkRecurrence } from "./recurrence.js";

export const limits = {
  title: 200,
  description: 10_000,
  tags: 20,
  tag: 40,
  reminders: 10,
  /** Reminder offsets are whole minutes before dueAt, at most 365 days. */
  reminderMinutes: 525_600,
  recurrence: 500,
  query: 200,
  pageSize: 100,
  sortKeys: 4,
} as const;

// C0 controls and DEL; Postgres also rejects U+0000 in text, which must be a 400, never a 500.
const CONTROL = /[\u0000-\u001f\u007f]/;
const CONTROL_EXCEPT_WHITESPACE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// Lone UTF-16 surrogates cannot be stored (jsonb rejects "\ud800" escapes): reject, never 500.
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormed = (s: string): boolean => !LONE_SURROGATE.test(s);
const notWellFormed = "Must be valid Unicode text.";

/**
 * JSON Schema patterns for the OpenAPI document (`.meta`), stating what the refinements check: no
 * control characters, no lone surrogates (`\p{Cs}`, patterns are Unicode), not blank. Leading and
 * trailing whitespace is trimmed before the checks (documented, not expressible).
 */
const patterns = {
  title: "^(?=.*\\S)[^\\u0000-\\u001f\\u007f\\p{Cs}]*$",
  description: "^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\p{Cs}]*$",
  timeZone: "^[A-Za-z][A-Za-z0-9_+\\-/]*$",
} as const;

/** Lengths count code points, as JSON Schema's maxLength does (an emoji is one character, not two). */
const codePoints = (s: string): number => [...s].length;

const title = z
  .string()
  .trim()
  .min(1, "Title must not be empty.")
  .refine((s) => codePoints(s) <= limits.title, `Title must be at most ${limits.title} characters.`)
  .refine((s) => !CONTROL.test(s), "Title must not contain control characters.")
  .refine(wellFormed, notWellFormed)
  .meta({ maxLength: limits.title, pattern: patterns.title, description: "Trimmed first; no control characters." });

const description = z
  .string()
  .refine((s) => codePoints(s) <= limits.description, `Description must be at most ${limits.description} characters.`)
  .refine((s) => !CONTROL_EXCEPT_WHITESPACE.test(s), "Description must not contain control characters.")
  .refine(wellFormed, notWellFormed)
  .meta({ maxLength: limits.description, pattern: patterns.description });

const tag = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}][\p{L}\p{N}_\-:.]*$/u, "Tags are letters, digits, and _ - : . (starting with a letter or digit).")
  .refine((s) => codePoints(s) <= limits.tag, `Tags must be at most ${limits.tag} characters.`)
  .meta({ maxLength: limits.tag, description: "Trimmed and lower-cased first." });

const tags = z
  .array(tag)
  .max(limits.tags, `At most ${limits.tags} tags.`)
  .transform((xs) => [...new Set(xs)]);

const minDue = Date.UTC(1970, 0, 1);
const maxDue = Date.UTC(9999, 11, 31, 23, 59, 59);
export const dueInstant = instantSchema
  .refine((s) => {
    const t = Date.parse(s);
    // An unparsable value already failed the format check; report only that.
    return Number.isNaN(t) || (t >= minDue && t <= maxDue);
  }, "Must be between 1970-01-01 and 9999-12-31.")
  // JSON Schema has no instant bounds: ajv-formats' formatMinimum compares the local date-time and ignores
  // the offset (1970-01-01T00:00:00+15:59 is in 1969), so the range is a stated server check.
  .meta({
    format: "date-time",
    "x-server-checks": "An instant from 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z, compared as instants whatever the offset.",
  });

// Building an Intl.DateTimeFormat costs far more than the rest of the validation: remember answers.
const knownZones = new Map<string, boolean>();

export function isIanaTimeZone(tz: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(tz) || tz.length > 64) return false;
  let ok = knownZones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    if (knownZones.size < 5000) knownZones.set(tz, ok);
  }
  return ok;
}

const timeZone = z.string().refine(isIanaTimeZone, "Must be an IANA time zone such as Europe/Paris.").meta({
  pattern: patterns.timeZone,
  maxLength: 64,
  "x-server-checks": "An IANA time zone the server's time-zone database knows, such as Europe/Paris.",
});

const reminders = z
  .array(
    z
      .number()
      .int("Reminder offsets are whole minutes.")
      .min(0, "Reminder offsets are minutes before dueAt (0 or more).")
      .max(limits.reminderMinutes, `Reminder offsets are at most ${limits.reminderMinutes} minutes.`),
  )
  .max(limits.reminders, `At most ${limits.reminders} reminders.`)
  .transform((xs) => [...new Set(xs)].sort((a, b) => b - a))
  .meta({
    description:
      "Minutes before dueAt. Absent or null: the user's default reminders (notifications preferences, one hour before by default); [] = no reminder.",
  });

const recurrence = z
  .string()
  .max(limits.recurrence, `Recurrence must be at most ${limits.recurrence} characters.`)
  .meta({
    "x-server-checks":
      "An RFC 5545 RRULE (FREQ YEARLY..HOURLY, no DTSTART) whose next occurrence after dueAt is found within the recurrence engine's search budget and 400 years.",
  })
  .transform((s, ctx) => {
    const r = checkRecurrence(s);
    if (!r.ok) {
      ctx.addIssue({ code: "custom", message: r.message });
      return z.NEVER;
    }
    return r.rule;
  });

const priority = z.enum(priorities, { message: `Priority must be one of ${priorities.join(", ")}.` });

/** The series' mode: the rule's fixed schedule, or from completion (see @tasks/shared/recurrence from-completion). */
export const repeatFromSchema = z.enum(repeatModes, { message: `repeatFrom must be one of ${repeatModes.join(", ")}.` }).meta({
  description:
    "schedule (default): the RRULE's fixed schedule. completion: the next due time is the completion time plus the rule's INTERVAL of FREQ units in timeZone, at its BYHOUR/BYMINUTE if named (only FREQ, INTERVAL, COUNT, UNTIL, BYHOUR, BYMINUTE).",
});

export const createTaskSchema = z.strictObject({
  title,
  description: description.nullable().optional(),
  priority: priority.default("medium"),
  tags: tags.default([]),
  dueAt: dueInstant.nullable().optional(),
  timeZone: timeZone.nullable().optional(),
  reminders: reminders.nullable().optional(),
  recurrence: recurrence.nullable().optional(),
  repeatFrom: repeatFromSchema.default("schedule"),
});
export type CreateTaskInput = z.output<typeof createTaskSchema>;

/** PATCH body; an empty patch is rejected by the handler (a refine here would also fire on unknown keys). */
export const updateTaskSchema = z.strictObject({
  title: title.optional(),
  description: description.nullable().optional(),
  priority: priority.optional(),
  tags: tags.optional(),
  dueAt: dueInstant.nullable().optional(),
  timeZone: timeZone.nullable().optional(),
  reminders: reminders.nullable().optional(),
  recurrence: recurrence.nullable().optional(),
  repeatFrom: repeatFromSchema.optional(),
});
export type UpdateTaskInput = z.output<typeof updateTaskSchema>;

/**
 * POST /internal/occurrences: the shared contract (createOccurrenceRequestSchema) with the source task's
 * user-controlled fields held to the public create rules, so nothing a public route would refuse is
 * stored through the internal one. The rule text is the recurrence service's continuation (it may carry
 * BYSECOND and a reduced COUNT), so it gets the engine's strict parser and the schedule check rather
 * than the public rule normalisation.
 */
export const createOccurrenceSchema = createOccurrenceRequestSchema.extend({
  sourceTask: taskSnapshotSchema.extend({
    title,
    description: description.nullable(),
    tags,
    timeZone,
    reminders: reminders.nullable(),
    recurrence: z
      .string()
      .max(limits.recurrence, `Recurrence must be at most ${limits.recurrence} characters.`)
      .superRefine((s, ctx) => {
        try {
          parseRecurrence(s);
        } catch (err) {
          if (!(err instanceof RecurrenceRuleError)) throw err;
          ctx.addIssue({ code: "custom", message: `Invalid RRULE: ${err.message}.` });
        }
      })
      .nullable(),
  }),
  occurrenceAt: dueInstant,
});

/** The fields cross-field rules look at, after a create or a patch is applied. */
export interface TaskRuleFields {
  dueAt: string | null;
  timeZone: string | null;
  reminders: readonly number[] | null;
  recurrence: string | null;
  /** @default "schedule" */
  repeatFrom?: RepeatMode | undefined;
}

/**
 * Cross-field rules. With `schedule` (a create, or a change of recurrence, dueAt or timeZone), the
 * rule must also find its next occurrence after dueAt within the recurrence engine's budget and horizon,
 * as the recurrence service will when the task is completed: 30 February is refused here, not there.
 */
export function taskRuleErrors(t: TaskRuleFields, schedule = true): FieldError[] {
  const errors: FieldError[] = [];
  if (t.dueAt !== null && t.timeZone === null) errors.push({ field: "timeZone", message: "Required when dueAt is set." });
  if (t.dueAt === null && t.reminders !== null && t.reminders.length > 0)
    errors.push({ field: "reminders", message: "Reminders need dueAt." });
  if (t.dueAt === null && t.recurrence !== null)
    errors.push({ field: "recurrence", message: "A recurrence needs dueAt (the first occurrence)." });
  if (schedule && errors.length === 0 && t.recurrence !== null && t.dueAt !== null && t.timeZone !== null) {
    const problem =
      t.repeatFrom === "completion" ? completionRuleProblem(t.recurrence) : scheduleProblem(t.recurrence, t.timeZone, t.dueAt);
    if (problem) errors.push({ field: "recurrence", message: problem });
  }
  return errors;
}

// ---- list query ----------------------------------------------------------------------------

export const sortKeys = ["due", "priority", "created", "title", "rank"] as const;
export type SortKey = (typeof sortKeys)[number];
export interface SortTerm {
  readonly key: SortKey;
  readonly dir: "asc" | "desc";
}

const single = (name: string) => z.preprocess((v) => v, z.string({ message: `${name} must be given once.` }));

const csv = <T extends string>(name: string, item: z.ZodType<T>) =>
  z.union([z.string(), z.array(z.string())], { message: `${name} must be a comma-separated list.` }).transform((v, ctx) => {
    const raw = (Array.isArray(v) ? v : [v])
      .flatMap((x) => x.split(","))
      .map((x) => x.trim())
      .filter((x) => x !== "");
    const out: T[] = [];
    for (const x of raw) {
      const r = item.safeParse(x);
      if (!r.success) {
        ctx.addIssue({ code: "custom", message: `"${x.slice(0, 50)}": ${r.error.issues[0]?.message ?? "invalid"}` });
        return z.NEVER;
      }
      out.push(r.data);
    }
    return [...new Set(out)];
  });

const sortTerm = z
  .string()
  .regex(
    /^-?(due|priority|created|title|rank)(:(asc|desc))?$/,
    `Sort keys are ${sortKeys.join(", ")}, optionally with :asc or :desc (or a leading - for desc).`,
  )
  .transform((s): SortTerm => {
    const desc = s.startsWith("-");
    const [key, dir] = s.replace(/^-/, "").split(":") as [SortKey, ("asc" | "desc")?];
    return { key, dir: dir ?? (desc ? "desc" : "asc") };
  });

export const listQuerySchema = z
  .strictObject({
    q: single("q")
      .pipe(
        z
          .string()
          .trim()
          .min(1, "Search text must not be empty.")
          .refine((s) => codePoints(s) <= limits.query, `Search text must be at most ${limits.query} characters.`)
          .refine((s) => !CONTROL.test(s), "Search text must not contain control characters.")
          .refine(wellFormed, notWellFormed),
      )
      .optional(),
    status: single("status")
      .pipe(z.enum(taskStatuses, { message: `Status must be one of ${taskStatuses.join(", ")}.` }))
      .optional(),
    priority: csv("priority", priority).optional(),
    tags: csv("tags", tag)
      .pipe(z.array(z.string()).max(limits.tags, `At most ${limits.tags} tags.`))
      .optional(),
    tagMode: single("tagMode")
      .pipe(z.enum(["all", "any"], { message: "tagMode must be all or any." }))
      .default("all"),
    dueBefore: single("dueBefore").pipe(instantSchema).optional(),
    dueAfter: single("dueAfter").pipe(instantSchema).optional(),
    overdue: single("overdue")
      .pipe(z.enum(["true", "false"], { message: "overdue must be true or false." }))
      .transform((v) => v === "true")
      .optional(),
    sort: single("sort")
      .pipe(z.string().max(200))
      .transform((s) =>
        s
          .split(",")
          .map((x) => x.trim())
          .filter(Boolean),
      )
      .pipe(z.array(sortTerm).min(1, "Sort must name at least one key.").max(limits.sortKeys, `At most ${limits.sortKeys} sort keys.`))
      .refine((terms) => new Set(terms.map((t) => t.key)).size === terms.length, "Each sort key may appear once.")
      .optional(),
    limit: single("limit")
      .pipe(z.string().regex(/^[1-9]\d{0,2}$/, `limit must be an integer from 1 to ${limits.pageSize}.`))
      .transform(Number)
      .pipe(
        z
          .number()
          .min(1, `limit must be an integer from 1 to ${limits.pageSize}.`)
          .max(limits.pageSize, `limit must be an integer from 1 to ${limits.pageSize}.`),
      )
      .default(20),
    cursor: single("cursor").pipe(z.string().max(4096, "cursor is too long.")).optional(),
  })
  .superRefine((q, ctx) => {
    // Array.isArray: zod 4 still runs this refinement when sort failed its max(200) check (it is then the raw string).
    if (Array.isArray(q.sort) && q.sort.some((t) => t.key === "rank") && q.q === undefined)
      ctx.addIssue({ code: "custom", path: ["sort"], message: "Sorting by rank needs a search text (q)." });
    if (q.dueBefore && q.dueAfter && Date.parse(q.dueAfter) > Date.parse(q.dueBefore))
      ctx.addIssue({ code: "custom", path: ["dueAfter"], message: "dueAfter must not be later than dueBefore." });
  });
export type ListQuery = z.output<typeof listQuerySchema>;

export const listResponseSchema = z.object({ items: z.array(taskSnapshotSchema), nextCursor: z.string().nullable() });
