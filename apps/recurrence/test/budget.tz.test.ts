/**
 * The search budget (apps/shared/src/recurrence/budget.ts): rules that never occur or whose search would
 * scan for centuries stop at the budget with a RecurrenceRuleError (the consumer answers DROP), rrule's
 * endless hour loop is refused before it starts, and sparse but real series are still found.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import fc from "fast-check";
import { nextOccurrence, recurrenceBudget, RecurrenceRuleError, type RecurrenceBudget } from "../src/rule/index.js";

const at = (s: string) => Temporal.Instant.from(s);
type Work = { periods: number; days: number; candidates: number };

function search(recurrence: string, start: string, zone = "Europe/Paris", budget: RecurrenceBudget = recurrenceBudget) {
  let work: Work | undefined;
  const series = { recurrence, timeZone: zone, start: at(start) };
  try {
    return { result: nextOccurrence(series, at(start), { budget, onWork: (w) => (work = w) }), work: work! };
  } catch (err) {
    return { error: err as Error, work: work! };
  }
}

const within = (w: Work, b: RecurrenceBudget) => w.periods <= b.periods + 1 && w.days <= b.days + 1 && w.candidates <= b.candidates + 1;

describe(`recurrence search budget (TZ=${process.env.TZ ?? "unset"})`, () => {
  test("FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30 stops at the period budget instead of scanning to year 9999", () => {
    const { error, work } = search("FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30", "2026-03-01T09:00:00Z");
    assert.ok(error instanceof RecurrenceRuleError, String(error));
    assert.match(error.message, /too costly to evaluate: .* more than 4000 rrule periods$/);
    assert.equal(work.periods, recurrenceBudget.periods + 1, "stopped at the first period past the budget");
    assert.equal(work.candidates, 0);
  });

  test("the same rule yearly, monthly and daily: every frequency stops at the budget", () => {
    for (const freq of ["YEARLY", "MONTHLY", "DAILY"]) {
      const { error, work } = search(`FREQ=${freq};BYMONTH=2;BYMONTHDAY=30`, "2026-03-01T09:00:00Z");
      assert.ok(error instanceof RecurrenceRuleError, `${freq}: ${String(error)}`);
      assert.ok(within(work, recurrenceBudget), `${freq}: ${JSON.stringify(work)}`);
    }
  });

  test("an HOURLY INTERVAL that never reaches BYHOUR is refused before rrule runs (rrule's hour loop would never end)", () => {
    const { error, work } = search("FREQ=HOURLY;INTERVAL=24;BYHOUR=3", "2026-03-01T08:00:00Z");
    assert.ok(error instanceof RecurrenceRuleError);
    assert.match(error.message, /INTERVAL=24 hours from 09:00 never reaches BYHOUR 3/);
    assert.equal(work, undefined, "rrule never started");
    // Reachable: every 6 hours from 09:00 visits 03:00.
    const ok = search("FREQ=HOURLY;INTERVAL=6;BYHOUR=3", "2026-03-01T08:00:00Z");
    assert.equal(ok.result?.kind, "next");
  });

  test("sparse but real series are found well within the budget", () => {
    const cases: [string, string, string][] = [
      ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "2097-03-01T08:00:00Z", "2104-02-29T08:00:00Z"],
      ["FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "2026-03-14T08:00:00Z", "2026-11-13T08:00:00Z"],
      ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "2026-03-01T08:00:00Z", "2044-02-29T08:00:00Z"],
      ["FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", "2026-03-01T08:00:00Z", "2028-02-29T08:00:00Z"],
    ];
    for (const [rule, start, next] of cases) {
      const { result, error, work } = search(rule, start);
      assert.equal(error, undefined, `${rule}: ${String(error)}`);
      assert.equal(result?.kind === "next" ? result.at.toString() : result?.kind, next, rule);
      assert.ok(within(work, recurrenceBudget), `${rule}: ${JSON.stringify(work)}`);
    }
  });

  test("property: random valid rules never do more work than the budget, and every outcome is an answer or a RecurrenceRuleError", () => {
    const day = fc.constantFrom("MO", "TU", "WE", "TH", "FR", "SA", "SU");
    const nums = (min: number, max: number, signed = false) =>
      fc
        .uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength: 4 })
        .chain((xs) =>
          signed
            ? fc.tuple(fc.constant(xs), fc.array(fc.boolean(), { minLength: xs.length, maxLength: xs.length }))
            : fc.constant([xs, []] as [number[], boolean[]]),
        )
        .map(([xs, neg]) => xs.map((x, i) => (neg[i] ? -x : x)).join(","));
    const rule = fc
      .record(
        {
          FREQ: fc.constantFrom("YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY"),
          INTERVAL: fc.integer({ min: 1, max: 1000 }).map(String),
          COUNT: fc.integer({ min: 1, max: 10_000 }).map(String),
          BYMONTH: nums(1, 12),
          BYMONTHDAY: nums(1, 31, true),
          BYDAY: fc.uniqueArray(day, { minLength: 1, maxLength: 3 }).map((d) => d.join(",")),
          BYHOUR: nums(0, 23),
          BYMINUTE: nums(0, 59),
        },
        { requiredKeys: ["FREQ"] },
      )
      .filter((r) => !(r.FREQ === "WEEKLY" && r.BYMONTHDAY !== undefined))
      .map((r) =>
        Object.entries(r)
          .map(([k, v]) => `${k}=${v}`)
          .join(";"),
      );
    const anchor = fc.date({ min: new Date("1970-01-02T00:00:00Z"), max: new Date("2200-12-31T00:00:00Z"), noInvalidDate: true });
    let answers = 0;
    let refused = 0;
    fc.assert(
      fc.property(rule, anchor, fc.constantFrom("UTC", "Europe/Paris", "America/New_York", "Australia/Lord_Howe"), (r, d, zone) => {
        const { result, error, work } = search(r, d.toISOString(), zone);
        if (error) {
          assert.ok(error instanceof RecurrenceRuleError, `${r}: ${String(error)}`);
          refused++;
        } else {
          assert.ok(result);
          answers++;
        }
        if (work) assert.ok(within(work, recurrenceBudget), `${r} from ${d.toISOString()}: ${JSON.stringify(work)}`);
      }),
      { numRuns: 300 },
    );
    assert.ok(answers > 0 && refused > 0, `answers ${answers}, refused ${refused}`);
  });
});
