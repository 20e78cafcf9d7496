/**
 * The editor's recurrence help, loaded on demand (its own chunk: rrule and the Temporal polyfill): the
 * presets as RRULEs, a plain-language summary (rrule's toText) and the next five occurrences computed by
 * the same engine the recurrence service runs (@tasks/shared/recurrence), in the task's zone.
 */
import rrulePkg from "rrule";
import { nextOccurrence, parseRecurrence, Temporal } from "@tasks/shared/recurrence/index";

const { RRule } = rrulePkg;

export type Preset = "none" | "daily" | "weekdays" | "weekly" | "monthly-date" | "monthly-nth" | "yearly" | "custom";
export const weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof weekdays)[number];

const ordinal = (n: number): string => (n === -1 ? "-1" : String(n));

/** The weekday and its position in the month of a date ("second Tuesday" = 2TU, the last one = -1). */
export function nthWeekdayOf(date: Temporal.PlainDate): { n: number; day: Weekday } {
  const day = weekdays[date.dayOfWeek - 1]!;
  const n = Math.ceil(date.day / 7);
  return { n: date.day + 7 > date.daysInMonth && n >= 4 ? -1 : n, day };
}

/** The RRULE of a preset for a first occurrence on `date` (weekly: the chosen days, default that date's). */
export function presetRule(preset: Preset, date: Temporal.PlainDate, days: readonly Weekday[] = []): string | null {
  switch (preset) {
    case "none":
    case "custom":
      return null;
    case "daily":
      return "FREQ=DAILY";
    case "weekdays":
      return "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR";
    case "weekly":
      return `FREQ=WEEKLY;BYDAY=${(days.length ? days : [weekdays[date.dayOfWeek - 1]!]).join(",")}`;
    case "monthly-date":
      return `FREQ=MONTHLY;BYMONTHDAY=${date.day}`;
    case "monthly-nth": {
      const { n, day } = nthWeekdayOf(date);
      return `FREQ=MONTHLY;BYDAY=${ordinal(n)}${day}`;
    }
    case "yearly":
      return `FREQ=YEARLY;BYMONTH=${date.month};BYMONTHDAY=${date.day}`;
  }
}

/** Which preset a stored rule is (custom when none matches). */
export function presetOf(rule: string | null, date: Temporal.PlainDate): { preset: Preset; days: Weekday[] } {
  if (!rule) return { preset: "none", days: [] };
  const r = rule.toUpperCase().replace(/^RRULE:/, "");
  for (const p of ["daily", "weekdays", "monthly-date", "monthly-nth", "yearly"] as const)
    if (presetRule(p, date) === r) return { preset: p, days: [] };
  const weekly = /^FREQ=WEEKLY;BYDAY=((?:MO|TU|WE|TH|FR|SA|SU)(?:,(?:MO|TU|WE|TH|FR|SA|SU))*)$/.exec(r);
  if (weekly) return { preset: "weekly", days: weekly[1]!.split(",") as Weekday[] };
  return { preset: "custom", days: [] };
}

export interface Preview {
  readonly summary: string;
  readonly next: readonly string[];
  readonly error?: string;
}

/** Summary and the next five occurrences after `dueAt` (ISO instant) in `zone`, formatted there. */
export function preview(rule: string, dueAt: string, zone: string): Preview {
  try {
    const parsed = parseRecurrence(rule);
    const summary = new RRule({ ...parsed.options }).toText();
    const fmt = new Intl.DateTimeFormat("en", {
      weekday: "short",
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: zone,
      timeZoneName: "short",
    });
    const start = Temporal.Instant.from(dueAt);
    const next: string[] = [];
    let after = start;
    for (let i = 0; i < 5; i++) {
      const o = nextOccurrence({ recurrence: rule, timeZone: zone, start }, after);
      if (o.kind !== "next") break;
      next.push(fmt.format(new Date(o.at.epochMilliseconds)));
      after = o.at;
    }
    return { summary: summary.charAt(0).toUpperCase() + summary.slice(1), next };
  } catch (err) {
    return { summary: "", next: [], error: err instanceof Error ? err.message : String(err) };
  }
}

/** The local date of an instant in a zone (for the presets). */
export const localDate = (iso: string, zone: string): Temporal.PlainDate =>
  Temporal.Instant.from(iso).toZonedDateTimeISO(zone).toPlainDate();

/** A local date-time (the input's value, "2026-12-05T09:00") in a zone as an ISO instant. */
export const toInstant = (local: string, zone: string): string =>
  Temporal.PlainDateTime.from(local).toZonedDateTime(zone, { disambiguation: "compatible" }).toInstant().toString();

/** An instant as the local date-time input value in a zone. */
export const toLocalInput = (iso: string, zone: string): string =>
  Temporal.Instant.from(iso).toZonedDateTimeISO(zone).toPlainDateTime().toString({ smallestUnit: "minute" });
