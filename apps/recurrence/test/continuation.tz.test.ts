/**
 * The tasks API anchors each task's RRULE at its own due time. A series carried from task to task
 * with continuationRule must produce exactly the occurrences of the original series (DTSTART fixed),
 * including COUNT, DST gaps and a skipped day.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import fc from "fast-check";
import { continuationRule, nextOccurrence } from "../src/rule/index.js";

interface Task {
  recurrence: string | null;
  dueAt: Temporal.Instant;
}

/** Walks a series the way the platform does: each completed task yields the next task. */
function walkTasks(first: Task, zone: string, steps: number): { at: string; rule: string | null }[] {
  const out: { at: string; rule: string | null }[] = [];
  let task = first;
  for (let i = 0; i < steps; i++) {
    if (task.recurrence === null) break;
    const n = nextOccurrence({ recurrence: task.recurrence, timeZone: zone, start: task.dueAt }, task.dueAt);
    if (n.kind !== "next") break;
    task = { recurrence: continuationRule(task.recurrence, n), dueAt: n.at };
    out.push({ at: n.at.toString(), rule: task.recurrence });
  }
  return out;
}

/** The same series evaluated against its fixed DTSTART. */
function walkFixed(rule: string, zone: string, start: Temporal.PlainDateTime, steps: number): string[] {
  const dt = start.toString().replace(/[-:]/g, "").slice(0, 15);
  const series = {
    recurrence: `DTSTART;TZID=${zone}:${dt}\nRRULE:${rule}`,
    timeZone: zone,
    start: Temporal.Instant.from("2000-01-01T00:00:00Z"),
  };
  const out: string[] = [];
  let after = start.toZonedDateTime(zone).toInstant();
  for (let i = 0; i < steps; i++) {
    const n = nextOccurrence(series, after);
    if (n.kind !== "next") break;
    out.push(n.at.toString());
    after = n.at;
  }
  return out;
}

describe(`continuationRule (TZ=${process.env.TZ ?? "unset"})`, () => {
  test("COUNT becomes the number left and the time of day is pinned", () => {
    const steps = walkTasks(
      { recurrence: "FREQ=DAILY;COUNT=3", dueAt: Temporal.Instant.from("2025-03-08T07:30:00Z") },
      "America/New_York",
      5,
    );
    assert.deepEqual(steps, [
      // Moved out of the gap (03:30 EDT): re-anchored there, rrule will not count it.
      { at: "2025-03-09T07:30:00Z", rule: "FREQ=DAILY;COUNT=1;BYHOUR=2;BYMINUTE=30;BYSECOND=0" },
      // The last occurrence: COUNT=1 is itself, so completing it ends the series.
      { at: "2025-03-10T06:30:00Z", rule: "FREQ=DAILY;COUNT=1;BYHOUR=2;BYMINUTE=30;BYSECOND=0" },
    ]);
    const afterLast = nextOccurrence(
      { recurrence: steps[1]!.rule!, timeZone: "America/New_York", start: Temporal.Instant.from(steps[1]!.at) },
      Temporal.Instant.from(steps[1]!.at),
    );
    assert.deepEqual(afterLast, { kind: "ended", reason: "count" });
  });

  test("a last occurrence moved out of a DST gap carries no rule", () => {
    const steps = walkTasks(
      { recurrence: "FREQ=DAILY;COUNT=2", dueAt: Temporal.Instant.from("2025-03-08T07:30:00Z") },
      "America/New_York",
      5,
    );
    assert.deepEqual(steps, [{ at: "2025-03-09T07:30:00Z", rule: null }]);
  });

  test("a weekly rule keeps its weekday across Apia's skipped Friday, and the RRULE: prefix", () => {
    const steps = walkTasks({ recurrence: "RRULE:FREQ=WEEKLY", dueAt: Temporal.Instant.from("2011-12-23T19:00:00Z") }, "Pacific/Apia", 3);
    assert.deepEqual(
      steps.map((s) => s.at),
      ["2011-12-30T19:00:00Z", "2012-01-05T19:00:00Z", "2012-01-12T19:00:00Z"],
    );
    assert.equal(steps[0]?.rule, "RRULE:FREQ=WEEKLY;BYDAY=FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0");
  });

  test("EXDATE lines are kept and a rule with its own DTSTART is carried unchanged", () => {
    const next = { index: 2, wallClock: Temporal.PlainDateTime.from("2025-01-03T09:00"), fit: "exact" as const };
    assert.equal(
      continuationRule("FREQ=DAILY;COUNT=5\nEXDATE:20250104T090000", next),
      "FREQ=DAILY;COUNT=3;BYHOUR=9;BYMINUTE=0;BYSECOND=0\nEXDATE:20250104T090000",
    );
    const withStart = "DTSTART;TZID=Europe/London:20250101T090000\nRRULE:FREQ=DAILY;COUNT=5";
    assert.equal(continuationRule(withStart, next), withStart);
  });

  test("property: task-to-task continuation reproduces the fixed-DTSTART series", () => {
    const zones = [
      "America/New_York",
      "Europe/London",
      "Australia/Lord_Howe",
      "Pacific/Apia",
      "America/Sao_Paulo",
      "Asia/Kolkata",
      "Pacific/Chatham",
    ];
    const rules = [
      "FREQ=DAILY",
      "FREQ=DAILY;COUNT=7",
      "FREQ=WEEKLY;INTERVAL=2",
      "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=9",
      "FREQ=MONTHLY",
      "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=6",
      "FREQ=MONTHLY;BYDAY=2SU",
      "FREQ=YEARLY",
      "FREQ=YEARLY;BYMONTH=3,10;BYDAY=-1SU",
      "FREQ=DAILY;INTERVAL=3;BYHOUR=1,23",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.constantFrom(...rules),
        fc.oneof(
          fc.record({
            year: fc.integer({ min: 2008, max: 2030 }),
            month: fc.integer({ min: 1, max: 12 }),
            day: fc.integer({ min: 1, max: 28 }),
            hour: fc.constantFrom(0, 1, 2, 3, 9, 23),
            minute: fc.constantFrom(0, 30, 45),
          }),
          // A few days before a DST change (or Apia's skipped day) in one of the zones.
          fc
            .record({
              date: fc.constantFrom(
                "2025-03-06",
                "2025-10-30",
                "2025-03-27",
                "2025-10-23",
                "2025-04-03",
                "2025-10-02",
                "2011-12-26",
                "2018-11-01",
                "2019-02-14",
                "2025-09-25",
              ),
              hour: fc.constantFrom(0, 1, 2, 3),
              minute: fc.constantFrom(0, 15, 30, 45),
            })
            .map(({ date, hour, minute }) => {
              const d = Temporal.PlainDate.from(date);
              return { year: d.year, month: d.month, day: d.day, hour, minute };
            }),
        ),
        (zone, rule, s) => {
          const start = new Temporal.PlainDateTime(s.year, s.month, s.day, s.hour, s.minute);
          const fixed = walkFixed(rule, zone, start, 10);
          // The first task is due at the series' first occurrence.
          const first = nextOccurrence(
            {
              recurrence: `DTSTART;TZID=${zone}:${start.toString().replace(/[-:]/g, "").slice(0, 15)}\nRRULE:${rule}`,
              timeZone: zone,
              start: Temporal.Instant.from("2000-01-01T00:00:00Z"),
            },
            start.toZonedDateTime(zone).toInstant().subtract({ hours: 48 }),
          );
          fc.pre(first.kind === "next" && first.fit === "exact" && first.index === 0);
          if (first.kind !== "next") return;
          const firstRule = continuationRule(rule, first);
          const viaTasks = walkTasks(
            { recurrence: firstRule, dueAt: first.at },
            zone,
            fixed.length - (fixed[0] === first.at.toString() ? 1 : 0),
          );
          assert.deepEqual(
            viaTasks.map((t) => t.at),
            fixed.filter((x) => x !== first.at.toString()).slice(0, viaTasks.length),
          );
          assert.equal(viaTasks.length, fixed.filter((x) => x !== first.at.toString()).length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
