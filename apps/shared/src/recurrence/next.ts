import { Temporal } from "@js-temporal/polyfill";
import rrulePkg from "rrule";
import {
  innerLoopProblem,
  meterRule,
  recurrenceBudget,
  RecurrenceBudgetExceeded,
  recurrenceHorizonYears,
  type RecurrenceBudget,
  type RuleMeter,
} from "./budget.js";
import { RecurrenceRuleError } from "./errors.js";
import { parseRecurrence, type ParsedRecurrence, type RuleTime } from "./parse.js";
import { checkTimeZone, fromFloating, instantToWallClock, toFloating, wallClockToInstant, type WallClockFit } from "./wall-clock.js";

const { RRule } = rrulePkg;

export interface Series {
  /** The task's recurrence text (see parseRecurrence). */
  readonly recurrence: string;
  /** The task's IANA zone; a DTSTART;TZID in the rule text takes precedence. */
  readonly timeZone: string;
  /** Scheduled time of the series' first occurrence; a DTSTART in the rule text takes precedence. */
  readonly start: Temporal.Instant;
}

export type NextOccurrence =
  | {
      readonly kind: "next";
      readonly at: Temporal.Instant;
      /** The local time the rule asked for; `at` differs from it only when `fit` is "gap". */
      readonly wallClock: Temporal.PlainDateTime;
      readonly zone: string;
      readonly fit: WallClockFit;
      /** Position in the series counted from DTSTART (0 = first), as COUNT counts. */
      readonly index: number;
    }
  | { readonly kind: "ended"; readonly reason: "count" | "until" | "no-more-occurrences" };

export interface SearchOptions {
  /** @default recurrenceBudget */
  readonly budget?: RecurrenceBudget;
  /** Receives the work rrule did (periods, examined days, candidates), also when the budget stopped it. */
  readonly onWork?: (used: RuleMeter["used"]) => void;
}

/**
 * How far (in local time) a DST change can move an occurrence relative to its neighbours. A gap
 * is at most a day (Pacific/Apia skipped 30 Dec 2011), so candidates are scanned in a window this
 * wide around the target and the earliest instant wins, which keeps the sequence strictly
 * increasing even where a gap reorders instants.
 */
const DST_SLACK = { days: 2 } as const;
/** A next occurrence further away than this ends the series (no real series is sparser). */
const HORIZON = { years: recurrenceHorizonYears } as const;

const cmp = Temporal.PlainDateTime.compare;

function untilWallClock(until: RuleTime, zone: string): Temporal.PlainDateTime {
  switch (until.kind) {
    case "instant":
      return instantToWallClock(until.instant, zone);
    case "local":
      return until.wallClock;
    case "date":
      return until.date.toPlainDateTime({ hour: 23, minute: 59, second: 59 });
  }
}

function withinUntil(until: RuleTime | undefined, wall: Temporal.PlainDateTime, at: Temporal.Instant): boolean {
  if (!until) return true;
  switch (until.kind) {
    case "instant":
      return Temporal.Instant.compare(at, until.instant) <= 0;
    case "local":
      return cmp(wall, until.wallClock) <= 0;
    case "date":
      return Temporal.PlainDate.compare(wall.toPlainDate(), until.date) <= 0;
  }
}

function excluded(exdates: ParsedRecurrence["exdates"], wall: Temporal.PlainDateTime, at: Temporal.Instant): boolean {
  return exdates.some((x) =>
    x.kind === "instant" ? x.instant.equals(at) : x.kind === "local" ? x.wallClock.equals(wall) : x.date.equals(wall.toPlainDate()),
  );
}

/**
 * The first occurrence of the series strictly after `after` (an instant), or why there is none.
 * The series is evaluated in floating wall-clock time, so every occurrence keeps DTSTART's local
 * time across DST changes; each local time is then placed on the zone's timeline by
 * wallClockToInstant (gap → moved forward, ambiguous → first). Throws RecurrenceRuleError for
 * rules that can never be evaluated, including those whose search would exceed `budget` (30 February
 * scanned to year 9999, an HOURLY INTERVAL that never reaches its BYHOUR): the work is counted inside
 * rrule's iterator, so no call runs longer than the budget allows.
 */
export function nextOccurrence(series: Series, after: Temporal.Instant, opts: SearchOptions = {}): NextOccurrence {
  const budget = opts.budget ?? recurrenceBudget;
  const parsed = parseRecurrence(series.recurrence);
  const zone = parsed.dtstart?.zone ?? checkTimeZone(series.timeZone);
  const start = parsed.dtstart?.wallClock ?? instantToWallClock(series.start, zone);
  const afterWall = instantToWallClock(after, zone);
  const scanFrom = afterWall.subtract(DST_SLACK);

  const horizon = (cmp(start, afterWall) > 0 ? start : afterWall).add(HORIZON);
  const untilSlack = parsed.until ? untilWallClock(parsed.until, zone).add(DST_SLACK) : undefined;
  const bound = untilSlack && cmp(untilSlack, horizon) < 0 ? untilSlack : horizon;

  const loop = innerLoopProblem(parsed.options, start);
  if (loop) throw new RecurrenceRuleError(`rule can never be evaluated: ${loop}`);
  const rule = new RRule({ ...parsed.options, dtstart: toFloating(start), until: toFloating(bound), tzid: null }, true);
  const meter = meterRule(rule, budget);
  const scanFromFloating = toFloating(scanFrom).getTime();
  const afterFloating = toFloating(afterWall).getTime();
  // Without a zone transition between scanFrom and `after`, local time maps monotonically onto the
  // timeline there, so a candidate before `after`'s local time is before `after`: no Temporal work.
  const transition = scanFrom.toZonedDateTime(zone, { disambiguation: "earlier" }).getTimeZoneTransition("next");
  const monotoneBeforeAfter = transition === null || Temporal.Instant.compare(transition.toInstant(), after) > 0;

  let best: Extract<NextOccurrence, { kind: "next" }> | undefined;
  let bestFloating = 0;
  let emitted = 0;
  const visit = (date: Date, index: number): boolean => {
    emitted = index + 1;
    meter.candidate();
    const t = date.getTime();
    if (t < scanFromFloating || (monotoneBeforeAfter && t <= afterFloating)) return true;
    // Only an occurrence moved forward out of a DST gap can be overtaken by a later local time.
    if (best && best.fit !== "gap" && t > bestFloating) return false;
    const wall = fromFloating(date);
    if (best && cmp(wall, best.wallClock.add(DST_SLACK)) > 0) return false;
    if (cmp(wall, scanFrom) < 0) return true;
    const placed = wallClockToInstant(wall, zone);
    if (Temporal.Instant.compare(placed.instant, after) <= 0) return true;
    if (excluded(parsed.exdates, wall, placed.instant) || !withinUntil(parsed.until, wall, placed.instant)) return true;
    if (!best || Temporal.Instant.compare(placed.instant, best.at) < 0) {
      best = { kind: "next", at: placed.instant, wallClock: wall, zone, fit: placed.fit, index };
      bestFloating = t;
    }
    return true;
  };
  try {
    rule.all(visit);
  } catch (err) {
    if (err instanceof RecurrenceBudgetExceeded) throw new RecurrenceRuleError(`rule is too costly to evaluate: ${err.message}`);
    throw err;
  } finally {
    opts.onWork?.({ ...meter.used });
  }
  if (best) return best;
  if (typeof parsed.options.count === "number" && emitted >= parsed.options.count) return { kind: "ended", reason: "count" };
  if (parsed.until) return { kind: "ended", reason: "until" };
  return { kind: "ended", reason: "no-more-occurrences" };
}
