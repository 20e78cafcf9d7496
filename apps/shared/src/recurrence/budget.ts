/**
 * A hard budget for rrule (2.8) searches. rrule has no cancellation, and its iterator only stops at an
 * emitted date past UNTIL or at year 9999: a rule whose days never match (30 February) scans ~8,000
 * years, and `FREQ=HOURLY;INTERVAL=24;BYHOUR=3` from 09:00 never leaves its hour loop at all.
 *
 * Two guards, used by the tasks API (validation) and the recurrence service (next occurrence):
 * - `innerLoopProblem` refuses the rules whose time-of-day loop could never end (checked before rrule runs);
 * - `meterRule` counts rrule's work through accessor properties on the rule's options, which its
 *   iterator reads once per period (`freq`) and once per calendar day it examines (`byeaster`), and
 *   throws RecurrenceBudgetExceeded past the budget, so no search runs longer than the budget allows.
 * scripts/bench/recurrence.ts prints what the budget costs in time on the machine it runs on.
 */
import rrulePkg, { type Options, type RRule } from "rrule";

const { Frequency } = rrulePkg;

export interface RecurrenceBudget {
  /** rrule periods (iterations of its main loop: a year, month, week, day or hour) per search. */
  readonly periods: number;
  /** Calendar days rrule examines against the BYxxx filters per search. */
  readonly days: number;
  /** Candidate occurrences rrule hands to the search. */
  readonly candidates: number;
}

export const recurrenceBudget: RecurrenceBudget = { periods: 4_000, days: 200_000, candidates: 20_000 };

/** How far after its anchor a series' next occurrence may be; beyond it the rule is refused. */
export const recurrenceHorizonYears = 400;

export class RecurrenceBudgetExceeded extends Error {
  override readonly name = "RecurrenceBudgetExceeded";
  constructor(
    readonly resource: keyof RecurrenceBudget,
    readonly limit: number,
  ) {
    super(
      `the search for the next occurrence needs more than ${limit} ${resource === "periods" ? "rrule periods" : resource === "days" ? "examined days" : "candidate occurrences"}`,
    );
  }
}

export interface RuleMeter {
  readonly used: { periods: number; days: number; candidates: number };
  /** Counts one candidate handed to the caller's iterator; throws past the budget. */
  candidate(): void;
}

/**
 * Makes `rule` (built with noCache) count its work and throw RecurrenceBudgetExceeded from inside its
 * iterator once a limit is passed. Relies on rrule 2.8.1 reading `options.freq` in each period step
 * and `options.byeaster` for each examined day (dist/es5/rrule.js: `DateTime.add`, `isFiltered`).
 */
export function meterRule(rule: RRule, budget: RecurrenceBudget = recurrenceBudget): RuleMeter {
  const used = { periods: 0, days: 0, candidates: 0 };
  const options = rule.options as unknown as Record<string, unknown>;
  const counted = (key: string, resource: "periods" | "days") => {
    const value = options[key];
    Object.defineProperty(options, key, {
      configurable: true,
      enumerable: true,
      get() {
        if (++used[resource] > budget[resource]) throw new RecurrenceBudgetExceeded(resource, budget[resource]);
        return value;
      },
    });
  };
  counted("freq", "periods");
  counted("byeaster", "days");
  return {
    used,
    candidate() {
      if (++used.candidates > budget.candidates) throw new RecurrenceBudgetExceeded("candidates", budget.candidates);
    },
  };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const list = (v: Options["byhour"] | number | null | undefined): number[] =>
  v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];

/**
 * Why rrule's time-of-day stepping could never end for this rule started at `start`, or undefined.
 * rrule advances HOURLY rules by INTERVAL hours until the hour is in BYHOUR (and MINUTELY/SECONDLY ones
 * through nested carries): an hour that INTERVAL can never reach from the start loops forever.
 */
export function innerLoopProblem(
  o: Pick<Partial<Options>, "freq" | "interval" | "byhour" | "byminute" | "bysecond">,
  start: { readonly hour: number; readonly minute: number; readonly second: number },
): string | undefined {
  const interval = o.interval ?? 1;
  const byhour = list(o.byhour);
  const byminute = list(o.byminute);
  const bysecond = list(o.bysecond);
  if (o.freq === Frequency.HOURLY && byhour.length > 0) {
    const g = gcd(interval, 24);
    if (!byhour.some((h) => (((h - start.hour) % g) + g) % g === 0))
      return `INTERVAL=${interval} hours from ${String(start.hour).padStart(2, "0")}:00 never reaches BYHOUR ${byhour.join(",")}`;
  }
  if (o.freq === Frequency.MINUTELY || o.freq === Frequency.SECONDLY) {
    const unit = o.freq === Frequency.MINUTELY ? "minutes" : "seconds";
    if ((byhour.length || byminute.length || bysecond.length) && interval > 60)
      return `FREQ=${o.freq === Frequency.MINUTELY ? "MINUTELY" : "SECONDLY"} with BYHOUR, BYMINUTE or BYSECOND needs INTERVAL of at most 60 ${unit}`;
    const g = gcd(interval, 60);
    const [values, from] = o.freq === Frequency.MINUTELY ? [byminute, start.minute] : [bysecond, start.second];
    if (values.length > 0 && !values.some((v) => (((v - from) % g) + g) % g === 0))
      return `INTERVAL=${interval} ${unit} never reaches BY${o.freq === Frequency.MINUTELY ? "MINUTE" : "SECOND"} ${values.join(",")}`;
  }
  return undefined;
}
