import { Temporal } from "@js-temporal/polyfill";
import rrulePkg from "rrule";
import { RecurrenceRuleError } from "./errors.js";
import { parseRecurrence, type RuleTime } from "./parse.js";
import { checkTimeZone, wallClockToInstant, type WallClockFit } from "./wall-clock.js";

const { Frequency } = rrulePkg;

/**
 * Repeat from completion: the second mode of a series. The next due time is the completion time plus
 * the rule's INTERVAL of FREQ units, in the task's zone: days, weeks, months and years are calendar
 * units (22:00 plus one day is 22:00 the next day, across a DST change), hours are exact. Where the rule
 * names a wall-clock time (BYHOUR for DAILY and coarser, BYMINUTE), the due time is placed at it on the
 * resulting day (or, for HOURLY, the minute in the resulting hour). A local time in a DST gap moves forward by the gap, an ambiguous one takes its
 * first occurrence (RFC 5545 3.3.5, as the fixed schedule does). COUNT counts occurrences left (the
 * continuation lowers it by one), UNTIL is inclusive.
 *
 * Only FREQ (YEARLY..HOURLY), INTERVAL, COUNT, UNTIL and one BYHOUR / BYMINUTE value mean something in
 * this mode; any other part is refused rather than silently ignored.
 */
export const completionRuleParts = ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYHOUR", "BYMINUTE"] as const;

/** Why `recurrence` cannot be a repeat-from-completion rule, or undefined. */
export function completionRuleProblem(recurrence: string): string | undefined {
  let parsed;
  try {
    parsed = parseRecurrence(recurrence);
  } catch (err) {
    if (err instanceof RecurrenceRuleError) return `Invalid RRULE: ${err.message}.`;
    throw err;
  }
  if (parsed.dtstart || parsed.exdates.length > 0) return "A repeat-from-completion rule has no DTSTART or EXDATE.";
  const other = parsed.parts.map(([k]) => k).filter((k) => !(completionRuleParts as readonly string[]).includes(k));
  if (other.length > 0)
    return `Repeating from completion uses only ${completionRuleParts.join(", ")}; ${other.join(", ")} has no meaning there.`;
  if (parsed.options.freq < Frequency.YEARLY || parsed.options.freq > Frequency.HOURLY)
    return "Repeating from completion needs FREQ YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY.";
  const value = (k: string) => parsed.parts.find(([p]) => p === k)?.[1];
  for (const k of ["BYHOUR", "BYMINUTE"]) if (value(k)?.includes(",")) return `Repeating from completion takes one ${k} value.`;
  if (parsed.options.freq === Frequency.HOURLY && value("BYHOUR") !== undefined)
    return "An HOURLY rule repeating from completion cannot name BYHOUR.";
  return undefined;
}

export type NextFromCompletion =
  | {
      readonly kind: "next";
      readonly at: Temporal.Instant;
      /** The local time asked for; `at` differs from it only when `fit` is "gap". */
      readonly wallClock: Temporal.PlainDateTime;
      readonly zone: string;
      readonly fit: WallClockFit;
      /** The rule the new occurrence carries: COUNT lowered by one (the new occurrence is one of them). */
      readonly continuation: string;
    }
  | { readonly kind: "ended"; readonly reason: "count" | "until" };

function withinUntil(until: RuleTime | undefined, wall: Temporal.PlainDateTime, at: Temporal.Instant): boolean {
  if (!until) return true;
  if (until.kind === "instant") return Temporal.Instant.compare(at, until.instant) <= 0;
  if (until.kind === "local") return Temporal.PlainDateTime.compare(wall, until.wallClock) <= 0;
  return Temporal.PlainDate.compare(wall.toPlainDate(), until.date) <= 0;
}

/** The next occurrence of a repeat-from-completion series whose occurrence was closed at `completedAt`. */
export function nextFromCompletion(input: { recurrence: string; timeZone: string; completedAt: Temporal.Instant }): NextFromCompletion {
  const problem = completionRuleProblem(input.recurrence);
  if (problem) throw new RecurrenceRuleError(problem.replace(/\.$/, ""));
  const parsed = parseRecurrence(input.recurrence);
  const zone = checkTimeZone(input.timeZone);
  const count = parsed.options.count ?? undefined;
  if (count !== undefined && count <= 1) return { kind: "ended", reason: "count" };
  const n = parsed.options.interval ?? 1;
  const done = input.completedAt.toZonedDateTimeISO(zone).round({ smallestUnit: "second", roundingMode: "floor" });
  const freq = parsed.options.freq;
  const byHour = parsed.parts.find(([k]) => k === "BYHOUR")?.[1];
  const byMinute = parsed.parts.find(([k]) => k === "BYMINUTE")?.[1];
  let target: Temporal.PlainDateTime;
  let placed: { instant: Temporal.Instant; fit: WallClockFit };
  if (freq === Frequency.HOURLY) {
    // Exact hours on the timeline: 00:30 EDT plus two hours is 01:30 EST on fall-back night, not 01:30 EDT.
    const later = done.add({ hours: n });
    const zoned = byMinute === undefined ? later : later.with({ minute: Number(byMinute), second: 0 });
    target = zoned.toPlainDateTime();
    placed = { instant: zoned.toInstant(), fit: "exact" };
  } else {
    const units =
      freq === Frequency.YEARLY
        ? { years: n }
        : freq === Frequency.MONTHLY
          ? { months: n }
          : freq === Frequency.WEEKLY
            ? { weeks: n }
            : { days: n };
    target = done.toPlainDateTime().add(units);
    if (byHour !== undefined) target = target.with({ hour: Number(byHour), minute: 0, second: 0 });
    if (byMinute !== undefined) target = target.with({ minute: Number(byMinute), second: 0 });
    placed = wallClockToInstant(target, zone);
  }
  if (!withinUntil(parsed.until, target, placed.instant)) return { kind: "ended", reason: "until" };
  const continuation =
    count === undefined ? input.recurrence : parsed.parts.map(([k, v]) => `${k}=${k === "COUNT" ? String(count - 1) : v}`).join(";");
  return { kind: "next", at: placed.instant, wallClock: target, zone, fit: placed.fit, continuation };
}
