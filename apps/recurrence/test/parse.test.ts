import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import { nextOccurrence, parseRecurrence, RecurrenceRuleError } from "../src/rule/index.js";

describe("parseRecurrence accepts", () => {
  test("a bare RRULE body, an RRULE: line, and lower-case names", () => {
    for (const text of [
      "FREQ=WEEKLY;BYDAY=MO,FR;INTERVAL=2",
      "RRULE:FREQ=WEEKLY;BYDAY=MO,FR;INTERVAL=2",
      "rrule:freq=weekly;byday=mo,fr;interval=2",
    ]) {
      const parsed = parseRecurrence(text);
      assert.equal(parsed.options.freq, 2, text);
      assert.equal(parsed.options.interval, 2, text);
      assert.deepEqual(parsed.options.byweekday?.toString(), "MO,FR", text);
      assert.equal(parsed.dtstart, undefined);
      assert.deepEqual(parsed.exdates, []);
    }
  });

  test("DTSTART with TZID, EXDATE lines and CRLF line ends", () => {
    const parsed = parseRecurrence(
      "DTSTART;TZID=Asia/Kolkata:20250107T071500\r\nRRULE:FREQ=DAILY;COUNT=3\r\nEXDATE;TZID=Asia/Kolkata:20250108T071500",
    );
    assert.equal(parsed.dtstart?.zone, "Asia/Kolkata");
    assert.equal(parsed.dtstart?.wallClock.toString(), "2025-01-07T07:15:00");
    assert.equal(parsed.options.count, 3);
    assert.deepEqual(
      parsed.exdates.map((x) => (x.kind === "local" ? x.wallClock.toString() : x.kind)),
      ["2025-01-08T07:15:00"],
    );
  });

  test("UNTIL in its three forms", () => {
    assert.deepEqual(parseRecurrence("FREQ=DAILY;UNTIL=20250310T130000Z").until?.kind, "instant");
    assert.deepEqual(parseRecurrence("FREQ=DAILY;UNTIL=20250310T130000").until?.kind, "local");
    assert.deepEqual(parseRecurrence("FREQ=DAILY;UNTIL=20250310").until?.kind, "date");
  });

  test("signed ordinals and negative month days", () => {
    const parsed = parseRecurrence("FREQ=MONTHLY;BYDAY=-1FR,+2MO;BYMONTHDAY=-1,15");
    assert.equal(parsed.options.byweekday?.toString(), "-1FR,+2MO");
    assert.deepEqual(parsed.options.bymonthday, [-1, 15]);
  });
});

describe("parseRecurrence rejects, naming the problem", () => {
  const bad: [text: string, message: string][] = [
    ["", "recurrence is empty"],
    ["BYDAY=MO", "unsupported recurrence property BYDAY"],
    ["RRULE:BYDAY=MO", "RRULE has no FREQ"],
    ["FREQ=FORTNIGHTLY", 'FREQ "FORTNIGHTLY" is not one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY'],
    ["FREQ=DAILY;FREQ=WEEKLY", "RRULE property FREQ is given twice"],
    ["FREQ=DAILY;COUNT", 'RRULE part "COUNT" is not NAME=VALUE'],
    ["FREQ=DAILY;COUNT=0", 'COUNT must be a positive integer, got "0"'],
    ["FREQ=DAILY;INTERVAL=-2", 'INTERVAL must be a positive integer, got "-2"'],
    ["FREQ=DAILY;COLOR=RED", "unknown RRULE property COLOR"],
    ["FREQ=DAILY;COUNT=3;UNTIL=20250101T000000Z", "COUNT and UNTIL must not both be given (RFC 5545)"],
    ["FREQ=DAILY;UNTIL=2025-01-01", 'UNTIL "2025-01-01" is not an RFC 5545 DATE or DATE-TIME'],
    ["FREQ=DAILY;UNTIL=20250230", 'UNTIL "20250230" is not a valid date'],
    ["FREQ=WEEKLY;BYDAY=XX", 'BYDAY value "XX" is not a weekday such as MO, 2TU or -1FR'],
    ["FREQ=WEEKLY;BYDAY=2MO", 'BYDAY with an ordinal ("2MO") is only valid with FREQ=MONTHLY or FREQ=YEARLY'],
    ["FREQ=MONTHLY;BYDAY=0MO", 'BYDAY ordinal in "0MO" is out of range (±1..53)'],
    ["FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO", "BYDAY with an ordinal must not be combined with BYWEEKNO"],
    ["FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY must not be used with FREQ=WEEKLY"],
    ["FREQ=MONTHLY;BYMONTHDAY=32", 'BYMONTHDAY value "32" is out of range (±1..31)'],
    ["FREQ=MONTHLY;BYMONTHDAY=0", 'BYMONTHDAY value "0" is out of range (±1..31)'],
    ["FREQ=MONTHLY;BYMONTHDAY=x", 'BYMONTHDAY value "X" is not an integer'],
    ["FREQ=MONTHLY;BYYEARDAY=1", "BYYEARDAY must not be used with FREQ=MONTHLY"],
    ["FREQ=MONTHLY;BYWEEKNO=1", "BYWEEKNO is only valid with FREQ=YEARLY"],
    ["FREQ=YEARLY;BYMONTH=13", 'BYMONTH value "13" is out of range (1..12)'],
    ["FREQ=YEARLY;BYMONTH=-1", 'BYMONTH value "-1" is out of range (1..12)'],
    ["FREQ=DAILY;BYHOUR=24", 'BYHOUR value "24" is out of range (0..23)'],
    ["FREQ=DAILY;BYMINUTE=60", 'BYMINUTE value "60" is out of range (0..59)'],
    ["FREQ=DAILY;BYSETPOS=1", "BYSETPOS needs another BYxxx rule part"],
    ["FREQ=DAILY;WKST=XX", 'WKST "XX" is not a weekday (MO..SU)'],
    ["FREQ=DAILY\nFREQ=WEEKLY", "recurrence has more than one RRULE"],
    ["DTSTART:20250101T090000\nDTSTART:20250101T090000\nFREQ=DAILY", "recurrence has more than one DTSTART"],
    ["DTSTART;VALUE=DATE:20250101\nFREQ=DAILY", "DTSTART must be a DATE-TIME, not a DATE"],
    ["DTSTART;TZID=Mars/Olympus_Mons:20250101T090000\nFREQ=DAILY", 'unknown time zone "Mars/Olympus_Mons"'],
    ["DTSTART;TZID=Europe/London:20250101T090000Z\nFREQ=DAILY", 'DTSTART must not combine TZID with a UTC ("Z") time'],
    ["DTSTART:20250101T090000", "recurrence has no RRULE"],
    ["RDATE:20250101T090000\nFREQ=DAILY", "unsupported recurrence property RDATE"],
    ["EXDATE 20250101\nFREQ=DAILY", 'line "EXDATE 20250101" has no ":"'],
  ];
  for (const [text, message] of bad) {
    test(JSON.stringify(text), () => {
      assert.throws(
        () => parseRecurrence(text),
        (err: unknown) => {
          assert.ok(err instanceof RecurrenceRuleError, `expected a RecurrenceRuleError, got ${String(err)}`);
          assert.equal(err.message, message);
          return true;
        },
      );
    });
  }

  test("an unknown task time zone is a RecurrenceRuleError", () => {
    assert.throws(
      () =>
        nextOccurrence(
          { recurrence: "FREQ=DAILY", timeZone: "Nowhere/Special", start: Temporal.Instant.from("2025-01-01T00:00:00Z") },
          Temporal.Instant.from("2025-01-01T00:00:00Z"),
        ),
      new RecurrenceRuleError('unknown time zone "Nowhere/Special"'),
    );
  });
});
