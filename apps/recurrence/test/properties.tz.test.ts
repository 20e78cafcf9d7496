/**
 * Property-based tests (fast-check) over random zones, start times and rules: occurrence chains are
 * strictly increasing, keep DTSTART's wall-clock time, and "next after x" agrees with the chain.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import fc from "fast-check";
import { nextOccurrence, type NextOccurrence } from "../src/rule/index.js";

const ZONES = [
  "America/New_York",
  "Europe/London",
  "Europe/Berlin",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Asia/Kolkata",
  "Pacific/Apia",
  "Pacific/Chatham",
  "America/Sao_Paulo",
  "America/St_Johns",
  "Asia/Kathmandu",
  "UTC",
  "America/Santiago",
];
const RULES = [
  "FREQ=DAILY",
  "FREQ=DAILY;INTERVAL=3",
  "FREQ=WEEKLY",
  "FREQ=WEEKLY;BYDAY=MO,WE,SU",
  "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SA",
  "FREQ=MONTHLY",
  "FREQ=MONTHLY;BYMONTHDAY=-1",
  "FREQ=MONTHLY;BYDAY=1SU",
  "FREQ=MONTHLY;BYDAY=-1SU",
  "FREQ=YEARLY",
  "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
  "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
];
const STEPS = 12;

const seriesArb = fc.record({
  zone: fc.constantFrom(...ZONES),
  rule: fc.constantFrom(...RULES),
  start: fc.record({
    year: fc.integer({ min: 2005, max: 2035 }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 28 }),
    // Hours 0-3 and 23 are where the transitions are; weight them.
    hour: fc.oneof(fc.constantFrom(0, 1, 2, 3, 23), fc.integer({ min: 0, max: 23 })),
    minute: fc.constantFrom(0, 15, 30, 45),
  }),
});

type Series = { zone: string; rule: string; start: { year: number; month: number; day: number; hour: number; minute: number } };
type Next = Extract<NextOccurrence, { kind: "next" }>;

function chain(s: Series): { series: Parameters<typeof nextOccurrence>[0]; occurrences: Next[] } {
  const wall = new Temporal.PlainDateTime(s.start.year, s.start.month, s.start.day, s.start.hour, s.start.minute);
  const dtstart = wall.toString().replace(/[-:]/g, "").slice(0, 15);
  const series = {
    recurrence: `DTSTART;TZID=${s.zone}:${dtstart}\nRRULE:${s.rule}`,
    timeZone: s.zone,
    start: wall.toZonedDateTime(s.zone).toInstant(),
  };
  const occurrences: Next[] = [];
  let after = series.start.subtract({ hours: 48 });
  for (let i = 0; i < STEPS; i++) {
    const n = nextOccurrence(series, after);
    if (n.kind !== "next") break;
    occurrences.push(n);
    after = n.at;
  }
  return { series, occurrences };
}

describe(`recurrence properties (TZ=${process.env.TZ ?? "unset"})`, () => {
  test("occurrences are strictly increasing instants with strictly increasing wall-clock times", () => {
    fc.assert(
      fc.property(seriesArb, (s) => {
        const { occurrences } = chain(s);
        assert.ok(occurrences.length > 0);
        for (let i = 1; i < occurrences.length; i++) {
          assert.ok(Temporal.Instant.compare(occurrences[i - 1]!.at, occurrences[i]!.at) < 0, "instants not increasing");
          assert.ok(
            Temporal.PlainDateTime.compare(occurrences[i - 1]!.wallClock, occurrences[i]!.wallClock) < 0,
            "wall-clock not increasing",
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  test("every occurrence keeps DTSTART's local time, except inside a DST gap where it moves forward by the gap", () => {
    fc.assert(
      fc.property(seriesArb, (s) => {
        for (const o of chain(s).occurrences) {
          assert.equal(o.wallClock.hour, s.start.hour);
          assert.equal(o.wallClock.minute, s.start.minute);
          const local = o.at.toZonedDateTimeISO(s.zone).toPlainDateTime();
          if (o.fit === "gap") {
            const shift = local.since(o.wallClock, { largestUnit: "hours" }).total({ unit: "minutes" });
            assert.ok(shift > 0 && shift <= 24 * 60, `gap shift ${shift} min`);
          } else {
            assert.ok(local.equals(o.wallClock), `${local.toString()} != ${o.wallClock.toString()}`);
          }
          if (o.fit === "ambiguous") {
            // The first of the two instants with this local time: the "later" candidate comes after it.
            const other = o.wallClock.toZonedDateTime(s.zone, { disambiguation: "later" }).toInstant();
            assert.ok(Temporal.Instant.compare(o.at, other) < 0, "ambiguous time did not take its first occurrence");
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  test("the next occurrence after any instant between two occurrences is the later one", () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 0, max: STEPS - 2 }), fc.double({ min: 0, max: 1, noNaN: true }), (s, i, frac) => {
        const { series, occurrences } = chain(s);
        const a = occurrences[i];
        const b = occurrences[i + 1];
        fc.pre(a !== undefined && b !== undefined);
        const span = Number(b!.at.epochNanoseconds - a!.at.epochNanoseconds) / 1e6;
        const x = a!.at.add({ milliseconds: Math.floor(span * frac * 0.999) });
        const n = nextOccurrence(series, x);
        assert.equal(n.kind, "next");
        if (n.kind === "next") assert.equal(n.at.toString(), b!.at.toString());
      }),
      { numRuns: 150 },
    );
  });

  test("COUNT=n yields exactly n occurrences, then the series ends", () => {
    fc.assert(
      fc.property(seriesArb, fc.integer({ min: 1, max: 8 }), (s, count) => {
        const { series, occurrences } = chain({ ...s, rule: `${s.rule};COUNT=${count}` });
        // Two occurrences can share an instant only on a day a zone skipped entirely (Apia 2011).
        assert.ok(occurrences.length <= count && occurrences.length >= count - 1, `${occurrences.length} of ${count}`);
        const last = occurrences.at(-1);
        assert.ok(last);
        assert.deepEqual(nextOccurrence(series, last.at), { kind: "ended", reason: "count" });
      }),
      { numRuns: 100 },
    );
  });
});
