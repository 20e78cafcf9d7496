/**
 * From a phrase's clauses (grammar.ts) to instants in the user's IANA zone: the wall-clock fields are placed
 * with Temporal (RFC 5545's rule for DST gaps and folds, as the recurrence service places occurrences), and a
 * recurrence becomes an RRULE whose first occurrence is the task's due time and whose next occurrences come
 * from the same engine the tasks API validates with and the recurrence service evaluates with.
 */
import { nextOccurrence, RecurrenceRuleError, Temporal, wallClockToInstant, type WallClockFit } from "@tasks/shared/recurrence/index";
import { PhraseError, readPhrase, weekdays, type DateSpec, type Parsed, type RuleSpec, type TimeSpec } from "./grammar.js";

export interface Occurrence {
  /** The instant, RFC 3339 UTC. */
  readonly at: string;
  /** The local date and time in the zone, with its offset, e.g. 2026-03-30T09:00:00+01:00[Europe/London]. */
  readonly local: string;
}

interface Common {
  readonly timeZone: string;
  /** Each clause as read. */
  readonly understood: readonly string[];
  /** What was filled in because the phrase did not say it (e.g. the default time). */
  readonly assumed: readonly string[];
  /** Facts worth telling the user: a DST gap, months without a 31st, a due time in the past. */
  readonly notes: readonly string[];
}

export type PhraseResult =
  | (Common & { readonly kind: "once"; readonly dueAt: string; readonly local: string })
  | (Common & {
      readonly kind: "recurring";
      /** RFC 5545, e.g. RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR */
      readonly rrule: string;
      /** The rule as the tasks API stores it (without the RRULE: prefix). */
      readonly recurrence: string;
      /** The first occurrence: the task's due time. */
      readonly dueAt: string;
      /** The first occurrences (the due time first). */
      readonly next: readonly Occurrence[];
    });

export interface PhraseOptions {
  /** The reference instant. @default now */
  readonly now?: Temporal.Instant;
  /** The time of day when the phrase names none. @default 09:00 */
  readonly defaultTime?: { readonly hour: number; readonly minute: number };
  /** How many occurrences to list. @default 5 */
  readonly occurrences?: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
const iso = (i: Temporal.Instant): string => i.toString({ smallestUnit: "second" });
const localOf = (i: Temporal.Instant, zone: string): string => i.toZonedDateTimeISO(zone).toString({ smallestUnit: "minute" });
const weekdayIndex = (wd: string): number => weekdays.indexOf(wd as (typeof weekdays)[number]) + 1;

function fitNote(fit: WallClockFit, wall: Temporal.PlainDateTime, zone: string, notes: string[]): void {
  if (fit === "gap")
    notes.push(`${wall.toString({ smallestUnit: "minute" })} does not exist in ${zone} (clocks go forward): moved forward by the gap.`);
  if (fit === "ambiguous")
    notes.push(`${wall.toString({ smallestUnit: "minute" })} happens twice in ${zone} (clocks go back): the first one is meant.`);
}

/** The calendar date a DateSpec names (durations excluded), relative to `today`. */
function resolveDate(spec: DateSpec, today: Temporal.PlainDate, understood: readonly string[]): Temporal.PlainDate {
  switch (spec.kind) {
    case "relative-days":
      return today.add({ days: spec.days });
    case "calendar-offset":
      return today.add({ [spec.unit]: spec.amount });
    case "weekday": {
      const ahead = ((weekdayIndex(spec.weekday) - today.dayOfWeek + 6) % 7) + 1;
      return today.add({ days: ahead + 7 * spec.weeksLater });
    }
    case "absolute": {
      if (spec.year !== undefined) {
        try {
          return Temporal.PlainDate.from({ year: spec.year, month: spec.month, day: spec.day }, { overflow: "reject" });
        } catch {
          throw new PhraseError(`${spec.year}-${pad(spec.month)}-${pad(spec.day)} does not exist.`, understood);
        }
      }
      // The next such date on or after today (29 February: the next leap year).
      for (let year = today.year; year < today.year + 9; year++) {
        try {
          const d = Temporal.PlainDate.from({ year, month: spec.month, day: spec.day }, { overflow: "reject" });
          if (Temporal.PlainDate.compare(d, today) >= 0) return d;
        } catch {
          // not in this year (29 February)
        }
      }
      throw new PhraseError(`No ${spec.text.trim()} in the next years.`, understood);
    }
    case "duration":
      throw new PhraseError(`"${spec.text.trim()}" is a duration, not a date.`, understood);
  }
}

function ruleBody(rule: RuleSpec, count: number | undefined, until: string | undefined): string {
  const parts = [`FREQ=${rule.freq}`];
  if (rule.interval && rule.interval > 1) parts.push(`INTERVAL=${rule.interval}`);
  if (rule.byMonth !== undefined) parts.push(`BYMONTH=${rule.byMonth}`);
  if (rule.byMonthDay !== undefined) parts.push(`BYMONTHDAY=${rule.byMonthDay}`);
  if (rule.byDay?.length) parts.push(`BYDAY=${rule.byDay.join(",")}`);
  if (count !== undefined) parts.push(`COUNT=${count}`);
  if (until !== undefined) parts.push(`UNTIL=${until}`);
  return parts.join(";");
}

function once(p: Parsed, zone: string, now: Temporal.Instant, defaultTime: TimeSpecLike, assumed: string[], notes: string[]): PhraseResult {
  const nowWall = now.toZonedDateTimeISO(zone).toPlainDateTime();
  const today = nowWall.toPlainDate();
  const date = p.date;
  let instant: Temporal.Instant;
  if (date?.kind === "duration") {
    if (p.time) throw new PhraseError(`"${date.text.trim()}" and a time of day cannot both apply.`, p.understood);
    instant = now.add({ [date.unit]: date.amount });
  } else {
    let day: Temporal.PlainDate;
    let time: TimeSpecLike;
    if (date) {
      day = resolveDate(date, today, p.understood);
      const keepsTime = (date.kind === "relative-days" || date.kind === "calendar-offset") && date.text.startsWith("in");
      if (p.time) time = p.time;
      else if (keepsTime) {
        time = { hour: nowWall.hour, minute: nowWall.minute };
        assumed.push(`time: ${pad(time.hour)}:${pad(time.minute)} (the time it is now)`);
      } else {
        time = defaultTime;
        assumed.push(`time: ${pad(time.hour)}:${pad(time.minute)} (no time given)`);
      }
    } else {
      // A time alone: its next occurrence, today or tomorrow.
      time = p.time!;
      const todayAt = today.toPlainDateTime({ hour: time.hour, minute: time.minute });
      day = Temporal.PlainDateTime.compare(todayAt, nowWall) > 0 ? today : today.add({ days: 1 });
      assumed.push(`date: ${day.toString()} (the next ${pad(time.hour)}:${pad(time.minute)})`);
    }
    const wall = day.toPlainDateTime({ hour: time.hour, minute: time.minute });
    const placed = wallClockToInstant(wall, zone);
    fitNote(placed.fit, wall, zone, notes);
    instant = placed.instant;
  }
  if (Temporal.Instant.compare(instant, now) < 0) notes.push("This time is in the past.");
  return { kind: "once", dueAt: iso(instant), local: localOf(instant, zone), timeZone: zone, understood: p.understood, assumed, notes };
}

type TimeSpecLike = Pick<TimeSpec, "hour" | "minute">;

function recurring(
  p: Parsed,
  zone: string,
  now: Temporal.Instant,
  opts: Required<PhraseOptions>,
  assumed: string[],
  notes: string[],
): PhraseResult {
  const rule: RuleSpec = { ...p.rule!, ...(p.rule!.byDay ? { byDay: [...p.rule!.byDay] } : {}) };
  const nowWall = now.toZonedDateTimeISO(zone).toPlainDateTime();
  if (p.date) {
    // "every year on 29 February", "weekly on Friday": the date says which day of the rule's period.
    if (rule.freq === "YEARLY" && p.date.kind === "absolute" && p.date.year === undefined && rule.byMonth === undefined) {
      rule.byMonth = p.date.month;
      rule.byMonthDay = p.date.day;
    } else if (rule.freq === "WEEKLY" && p.date.kind === "weekday" && p.date.weeksLater === 0 && !rule.byDay) {
      rule.byDay = [p.date.weekday];
    } else {
      throw new PhraseError(
        `"${p.date.text.trim()}" next to "${rule.text.trim()}" is ambiguous: to start the series then, say "starting ${p.date.text.trim()}".`,
        p.understood,
      );
    }
  }
  if (p.count !== undefined && p.until !== undefined)
    throw new PhraseError("A series ends either after a number of times or on a date, not both.", p.understood);
  let time: TimeSpecLike;
  if (p.time) time = p.time;
  else if (rule.freq === "HOURLY") {
    const nextHour = nowWall.round({ smallestUnit: "hour", roundingMode: "ceil" });
    time = { hour: nextHour.hour, minute: 0 };
    assumed.push(`first hour: ${pad(time.hour)}:00 (the next full hour)`);
  } else {
    time = opts.defaultTime;
    assumed.push(`time: ${pad(time.hour)}:${pad(time.minute)} (no time given)`);
  }
  const startDay = p.start ? resolveDate(p.start, nowWall.toPlainDate(), p.understood) : nowWall.toPlainDate();
  const candidate = wallClockToInstant(startDay.toPlainDateTime({ hour: time.hour, minute: time.minute }), zone).instant;
  // From an explicit start its own day counts; otherwise the first occurrence after now.
  const floor = p.start || Temporal.Instant.compare(candidate, now) > 0 ? candidate.subtract({ nanoseconds: 1 }) : now;
  let until: string | undefined;
  if (p.until) {
    if (p.until.kind === "duration") throw new PhraseError(`"until" needs a date, not "${p.until.text.trim()}".`, p.understood);
    const lastDay = resolveDate(p.until, nowWall.toPlainDate(), p.understood);
    const end = wallClockToInstant(lastDay.toPlainDateTime({ hour: 23, minute: 59, second: 59 }), zone).instant.toZonedDateTimeISO("UTC");
    until = `${pad(end.year, 4)}${pad(end.month)}${pad(end.day)}T${pad(end.hour)}${pad(end.minute)}${pad(end.second)}Z`;
    assumed.push(`until: the end of ${lastDay.toString()} in ${zone}`);
  }
  const body = ruleBody(rule, p.count, until);
  try {
    // The first occurrence: the rule's period and by-parts without its interval and end, from the start day.
    const first = nextOccurrence(
      { recurrence: ruleBody({ ...rule, interval: 1 }, undefined, undefined), timeZone: zone, start: candidate },
      floor,
    );
    if (first.kind !== "next") throw new PhraseError(`"${rule.text.trim()}" never occurs.`, p.understood);
    if (
      until &&
      Temporal.Instant.compare(
        first.at,
        Temporal.Instant.from(
          `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}T${until.slice(9, 11)}:${until.slice(11, 13)}:${until.slice(13, 15)}Z`,
        ),
      ) > 0
    )
      throw new PhraseError(
        `The series would end (${p.until!.text.trim()}) before its first occurrence (${localOf(first.at, zone)}).`,
        p.understood,
      );
    fitNote(first.fit, first.wallClock, zone, notes);
    const series = { recurrence: body, timeZone: zone, start: first.at };
    const next: Occurrence[] = [{ at: iso(first.at), local: localOf(first.at, zone) }];
    let after = first.at;
    const limit = p.count === undefined ? opts.occurrences : Math.min(opts.occurrences, p.count);
    while (next.length < limit) {
      const n = nextOccurrence(series, after);
      if (n.kind !== "next") break;
      next.push({ at: iso(n.at), local: localOf(n.at, zone) });
      after = n.at;
    }
    if (rule.byMonthDay !== undefined && rule.byMonthDay > 28 && rule.byMonth === undefined)
      notes.push(`Months without a day ${rule.byMonthDay} are skipped (RFC 5545); say "the last day of every month" for month ends.`);
    if (rule.byMonth === 2 && rule.byMonthDay === 29)
      notes.push("29 February occurs only in leap years: the series skips the other years.");
    return {
      kind: "recurring",
      rrule: `RRULE:${body}`,
      recurrence: body,
      dueAt: iso(first.at),
      next,
      timeZone: zone,
      understood: p.understood,
      assumed,
      notes,
    };
  } catch (err) {
    if (err instanceof RecurrenceRuleError) throw new PhraseError(`The rule ${body} cannot be scheduled: ${err.message}.`, p.understood);
    throw err;
  }
}

/** Reads `phrase` in `timeZone` (IANA); throws PhraseError (what was understood + the accepted forms). */
export function interpretPhrase(phrase: string, timeZone: string, opts: PhraseOptions = {}): PhraseResult {
  const resolved: Required<PhraseOptions> = {
    now: opts.now ?? Temporal.Now.instant(),
    defaultTime: opts.defaultTime ?? { hour: 9, minute: 0 },
    occurrences: opts.occurrences ?? 5,
  };
  const p = readPhrase(phrase);
  const assumed: string[] = [];
  const notes: string[] = [];
  if (p.rule) return recurring(p, timeZone, resolved.now, resolved, assumed, notes);
  if (p.count !== undefined || p.until !== undefined || p.start !== undefined)
    throw new PhraseError(`"times", "until" and "starting" belong to a repeating phrase such as "every Monday".`, p.understood);
  if (!p.date && !p.time) throw new PhraseError("The phrase names no date, time or repetition.", p.understood);
  return once(p, timeZone, resolved.now, resolved.defaultTime, assumed, notes);
}

export { PhraseError, acceptedForms } from "./grammar.js";
