/**
 * Repeat from completion (issue 19): the next due time is the completion time plus the rule's interval
 * in the task's zone, at the rule's BYHOUR/BYMINUTE where it names one. Expected instants are written
 * with their UTC offsets from the zones' published rules. Runs once per TZ (scripts/test.ts).
 *
 * Transitions used: America/New_York 2026-03-08 02:00→03:00 (-05→-04), 2026-11-01 02:00→01:00;
 * Europe/Paris 2026-03-29 02:00→03:00 (+01→+02); Australia/Lord_Howe 2026-04-05 02:00→01:30 (+11→+10:30).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { Temporal } from "@js-temporal/polyfill";
import { sampleTask } from "@tasks/shared/testing";
import { completionRuleProblem, nextFromCompletion, planNext } from "../src/index.js";

const next = (recurrence: string, timeZone: string, completedAt: string) =>
  nextFromCompletion({ recurrence, timeZone, completedAt: Temporal.Instant.from(completedAt) });
const at = (r: ReturnType<typeof next>) => {
  assert.equal(r.kind, "next");
  return r.kind === "next" ? r : assert.fail();
};
const same = (actual: Temporal.Instant, expected: string) =>
  assert.equal(actual.epochMilliseconds, Date.parse(expected), `${actual} vs ${expected}`);

describe("next due time from the completion time", () => {
  test("DAILY;INTERVAL=3 without a named time keeps the completion's wall-clock time across spring-forward", () => {
    const r = at(next("FREQ=DAILY;INTERVAL=3", "America/New_York", "2026-03-06T18:42:17.250-05:00"));
    same(r.at, "2026-03-09T18:42:17-04:00");
    assert.equal(r.fit, "exact");
  });

  test("BYHOUR/BYMINUTE place it at the named wall-clock time on the resulting day (Paris, DST night)", () => {
    same(at(next("FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "Europe/Paris", "2026-03-28T23:30:00+01:00")).at, "2026-03-29T09:00:00+02:00");
    // Completed early in the morning: still the next day at 09:00, never the same day.
    same(at(next("FREQ=DAILY;BYHOUR=9;BYMINUTE=0", "Europe/Paris", "2026-03-28T06:00:00+01:00")).at, "2026-03-29T09:00:00+02:00");
  });

  test("a named time in the spring-forward gap moves forward by the gap (02:30 → 03:30 EDT)", () => {
    const r = at(next("FREQ=DAILY;BYHOUR=2;BYMINUTE=30", "America/New_York", "2026-03-07T10:00:00-05:00"));
    same(r.at, "2026-03-08T03:30:00-04:00");
    assert.equal(r.fit, "gap");
    assert.equal(r.wallClock.toString(), "2026-03-08T02:30:00");
  });

  test("an ambiguous named time takes its first occurrence (01:30 EDT on fall-back day)", () => {
    const r = at(next("FREQ=DAILY;BYHOUR=1;BYMINUTE=30", "America/New_York", "2026-10-31T12:00:00-04:00"));
    same(r.at, "2026-11-01T01:30:00-04:00");
    assert.equal(r.fit, "ambiguous");
  });

  test("HOURLY adds exact hours across fall-back; BYMINUTE sets the minute", () => {
    same(at(next("FREQ=HOURLY;INTERVAL=2", "America/New_York", "2026-11-01T01:00:00-04:00")).at, "2026-11-01T02:00:00-05:00");
    // Into the repeated hour: the second 01:30 (EST), two hours after 00:30 EDT.
    same(at(next("FREQ=HOURLY;INTERVAL=2", "America/New_York", "2026-11-01T00:30:00-04:00")).at, "2026-11-01T01:30:00-05:00");
    same(at(next("FREQ=HOURLY;BYMINUTE=15", "America/New_York", "2026-11-01T00:50:00-04:00")).at, "2026-11-01T01:15:00-04:00");
  });

  test("WEEKLY across Lord Howe's half-hour change keeps the local time", () => {
    same(at(next("FREQ=WEEKLY", "Australia/Lord_Howe", "2026-04-01T20:00:00+11:00")).at, "2026-04-08T20:00:00+10:30");
  });

  test("MONTHLY from 31 January ends on the last day of February; YEARLY from 29 February on 28 February", () => {
    same(at(next("FREQ=MONTHLY", "UTC", "2026-01-31T08:00:00Z")).at, "2026-02-28T08:00:00Z");
    same(at(next("FREQ=YEARLY", "UTC", "2028-02-29T08:00:00Z")).at, "2029-02-28T08:00:00Z");
  });

  test("COUNT counts down in the continuation and ends at 1; UNTIL ends the series", () => {
    assert.equal(at(next("FREQ=DAILY;COUNT=3;BYHOUR=9", "UTC", "2026-01-01T10:00:00Z")).continuation, "FREQ=DAILY;COUNT=2;BYHOUR=9");
    assert.deepEqual(next("FREQ=DAILY;COUNT=1", "UTC", "2026-01-01T10:00:00Z"), { kind: "ended", reason: "count" });
    assert.deepEqual(next("FREQ=DAILY;UNTIL=20260102T000000Z", "UTC", "2026-01-01T10:00:00Z"), { kind: "ended", reason: "until" });
    assert.equal(next("FREQ=DAILY;UNTIL=20260102", "UTC", "2026-01-01T10:00:00Z").kind, "next");
  });

  test("parts without meaning in this mode are refused, naming them", () => {
    assert.match(completionRuleProblem("FREQ=WEEKLY;BYDAY=MO")!, /BYDAY has no meaning/);
    assert.match(completionRuleProblem("FREQ=DAILY;BYHOUR=9,17")!, /one BYHOUR value/);
    assert.match(completionRuleProblem("FREQ=HOURLY;BYHOUR=9")!, /cannot name BYHOUR/);
    assert.match(completionRuleProblem("FREQ=MINUTELY")!, /needs FREQ YEARLY/);
    assert.equal(completionRuleProblem("FREQ=DAILY;INTERVAL=3;BYHOUR=9;BYMINUTE=30;COUNT=5"), undefined);
  });

  test("property: the result is after the completion, at the named time unless in a gap, the interval away in local days", () => {
    const zones = ["America/New_York", "Europe/Paris", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2030, 0, 1) }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (zone, ms, n, hour, minute) => {
          const done = Temporal.Instant.fromEpochMilliseconds(ms);
          const r = at(
            nextFromCompletion({
              recurrence: `FREQ=DAILY;INTERVAL=${n};BYHOUR=${hour};BYMINUTE=${minute}`,
              timeZone: zone,
              completedAt: done,
            }),
          );
          const local = r.at.toZonedDateTimeISO(zone);
          const doneDate = done.toZonedDateTimeISO(zone).toPlainDate();
          assert.equal(doneDate.until(r.wallClock.toPlainDate()).days, n);
          if (r.fit !== "gap") assert.deepEqual([local.hour, local.minute], [hour, minute]);
          assert.ok(Temporal.Instant.compare(r.at, done) > 0 || n === 1);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("planNext in the repeat-from-completion mode", () => {
  const base = { recurrence: "FREQ=DAILY;INTERVAL=3;BYHOUR=9;BYMINUTE=0", timeZone: "Europe/Paris", repeatFrom: "completion" as const };

  test("a completed occurrence: due three days after the completion, at 09:00 Paris time, keyed by series and time", () => {
    const task = sampleTask({ ...base, status: "completed", dueAt: "2026-03-20T08:00:00Z", completedAt: "2026-03-27T21:10:00Z" });
    const plan = planNext(task);
    assert.equal(plan.kind, "create");
    if (plan.kind !== "create") return;
    same(Temporal.Instant.from(plan.occurrenceAt), "2026-03-30T09:00:00+02:00");
    assert.equal(plan.idempotencyKey, `${task.id}/${plan.occurrenceAt}`);
    // A redelivery of the same event plans the same occurrence.
    assert.deepEqual(planNext(structuredClone(task)), plan);
  });

  test("a skipped occurrence counts as completed on time (at its scheduled time), in both modes", () => {
    const skipped = sampleTask({ ...base, status: "skipped", dueAt: "2026-03-20T08:00:00Z", completedAt: null });
    const plan = planNext(skipped);
    assert.equal(plan.kind === "create" && plan.occurrenceAt, Temporal.Instant.from("2026-03-23T09:00:00+01:00").toString());
    const fixed = sampleTask({ recurrence: "FREQ=WEEKLY", timeZone: "UTC", status: "skipped", dueAt: "2026-03-20T08:00:00Z" });
    const fixedPlan = planNext(fixed);
    assert.equal(fixedPlan.kind === "create" && fixedPlan.occurrenceAt, "2026-03-27T08:00:00Z");
  });

  test("an open task (never on task.completed) and a task without a rule plan nothing", () => {
    assert.equal(planNext(sampleTask({ ...base, dueAt: "2026-03-20T08:00:00Z" })).kind, "none");
    assert.equal(planNext(sampleTask({ status: "completed" })).kind, "none");
  });
});
