/**
 * Recurrences across DST transitions and unusual offsets in many IANA zones. Expected instants are
 * hand-written with their UTC offsets (from the zones' published rules) and compared through
 * Date.parse. Runs once per TZ (scripts/test.ts), so the machine's zone must not matter.
 *
 * Transitions used (local wall-clock times):
 *   America/New_York     2025-03-09 02:00→03:00 (-05→-04); 2025-11-02 02:00→01:00 (-04→-05)
 *   Europe/London        2025-03-30 01:00→02:00 (+00→+01); 2025-10-26 02:00→01:00; 2024-03-31 01:00→02:00
 *   Europe/Berlin        2025-03-30 02:00→03:00 (+01→+02); 2025-10-26 03:00→02:00
 *   Australia/Sydney     2025-04-06 03:00→02:00 (+11→+10); 2025-10-05 02:00→03:00 (+10→+11)
 *   Australia/Lord_Howe  2025-04-06 02:00→01:30 (+11→+10:30); 2025-10-05 02:00→02:30 (+10:30→+11)
 *   Pacific/Chatham      2025-04-06 03:45→02:45 (+13:45→+12:45); 2025-09-28 02:45→03:45
 *   America/Sao_Paulo    2018-11-04 00:00→01:00 (-03→-02); 2019-02-17 00:00→2019-02-16 23:00
 *   Pacific/Apia         2011-12-30 does not exist (-10 until 29 Dec 24:00, then +14)
 *   America/St_Johns     2025-03-09 02:00→03:00 (-03:30→-02:30)
 *   Asia/Kolkata (+05:30), Asia/Kathmandu (+05:45): no DST
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import { nextOccurrence } from "../src/rule/index.js";
import { expectedMs, runChain, type ChainCase } from "./support/chain.js";

type ZoneCase = ChainCase & { readonly zone: string };

export const dstCases: ZoneCase[] = [
  // America/New_York
  {
    name: "NY daily 09:00 keeps 09:00 across spring-forward",
    zone: "America/New_York",
    rule: "FREQ=DAILY",
    expect: ["2025-03-07T09:00-05:00", "2025-03-08T09:00-05:00", "2025-03-09T09:00-04:00", "2025-03-10T09:00-04:00"],
  },
  {
    name: "NY daily 02:30: the nonexistent 02:30 becomes 03:30 EDT",
    zone: "America/New_York",
    rule: "DTSTART;TZID=America/New_York:20250307T023000\nRRULE:FREQ=DAILY",
    expect: ["2025-03-07T02:30-05:00", "2025-03-08T02:30-05:00", "2025-03-09T03:30-04:00", "2025-03-10T02:30-04:00"],
    fits: { 2: "gap" },
  },
  {
    name: "NY daily 01:30: the ambiguous 01:30 takes its first (EDT) occurrence",
    zone: "America/New_York",
    rule: "FREQ=DAILY",
    expect: ["2025-10-31T01:30-04:00", "2025-11-01T01:30-04:00", "2025-11-02T01:30-04:00", "2025-11-03T01:30-05:00"],
    fits: { 2: "ambiguous" },
  },
  {
    name: "NY hourly over fall-back skips the repeated 01:30 EST and counts from DTSTART",
    zone: "America/New_York",
    rule: "FREQ=HOURLY;COUNT=5",
    expect: [
      "2025-11-02T00:30-04:00",
      "2025-11-02T01:30-04:00",
      "2025-11-02T02:30-05:00",
      "2025-11-02T03:30-05:00",
      "2025-11-02T04:30-05:00",
    ],
    fits: { 1: "ambiguous" },
    end: "count",
  },
  {
    name: "NY hourly over spring-forward: 02:30 and 03:30 land on one instant, which is produced once",
    zone: "America/New_York",
    rule: "FREQ=HOURLY;COUNT=5",
    expect: ["2025-03-09T00:30-05:00", "2025-03-09T01:30-05:00", "2025-03-09T03:30-04:00", "2025-03-09T04:30-04:00"],
    fits: { 2: "gap" },
    end: "count",
  },
  {
    name: "NY weekly MO,WE,FR at 18:00 across fall-back",
    zone: "America/New_York",
    rule: "FREQ=WEEKLY;BYDAY=MO,WE,FR",
    expect: ["2025-10-29T18:00-04:00", "2025-10-31T18:00-04:00", "2025-11-03T18:00-05:00", "2025-11-05T18:00-05:00"],
  },
  {
    name: "NY monthly on the last day (BYMONTHDAY=-1) at 23:00",
    zone: "America/New_York",
    rule: "FREQ=MONTHLY;BYMONTHDAY=-1",
    expect: ["2025-01-31T23:00-05:00", "2025-02-28T23:00-05:00", "2025-03-31T23:00-04:00", "2025-04-30T23:00-04:00"],
  },
  {
    name: "NY monthly on the last day in a leap year",
    zone: "America/New_York",
    rule: "FREQ=MONTHLY;BYMONTHDAY=-1",
    expect: ["2024-01-31T23:00-05:00", "2024-02-29T23:00-05:00", "2024-03-31T23:00-04:00"],
  },
  {
    name: "NY monthly from the 31st skips shorter months",
    zone: "America/New_York",
    rule: "FREQ=MONTHLY",
    expect: ["2025-01-31T10:00-05:00", "2025-03-31T10:00-04:00", "2025-05-31T10:00-04:00", "2025-07-31T10:00-04:00"],
  },
  {
    name: "NY Thanksgiving (YEARLY;BYMONTH=11;BYDAY=4TH)",
    zone: "America/New_York",
    rule: "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH",
    expect: ["2025-11-27T12:00-05:00", "2026-11-26T12:00-05:00", "2027-11-25T12:00-05:00"],
  },
  {
    name: "NY twice daily (BYHOUR=8,20) across spring-forward",
    zone: "America/New_York",
    rule: "FREQ=DAILY;BYHOUR=8,20;BYMINUTE=0;BYSECOND=0",
    expect: ["2025-03-08T08:00-05:00", "2025-03-08T20:00-05:00", "2025-03-09T08:00-04:00", "2025-03-09T20:00-04:00"],
  },
  {
    name: "NY UNTIL equal to an occurrence is inclusive",
    zone: "America/New_York",
    rule: "FREQ=DAILY;UNTIL=20250310T130000Z",
    expect: ["2025-03-07T09:00-05:00", "2025-03-08T09:00-05:00", "2025-03-09T09:00-04:00", "2025-03-10T09:00-04:00"],
    end: "until",
  },
  {
    name: "NY UNTIL one second before an occurrence excludes it",
    zone: "America/New_York",
    rule: "FREQ=DAILY;UNTIL=20250310T125959Z",
    expect: ["2025-03-07T09:00-05:00", "2025-03-08T09:00-05:00", "2025-03-09T09:00-04:00"],
    end: "until",
  },
  {
    name: "NY UNTIL as a local date-time is inclusive",
    zone: "America/New_York",
    rule: "FREQ=DAILY;UNTIL=20250309T090000",
    expect: ["2025-03-07T09:00-05:00", "2025-03-08T09:00-05:00", "2025-03-09T09:00-04:00"],
    end: "until",
  },
  {
    name: "NY UNTIL as a date includes that whole local day",
    zone: "America/New_York",
    rule: "FREQ=DAILY;UNTIL=20250309",
    expect: ["2025-03-07T21:00-05:00", "2025-03-08T21:00-05:00", "2025-03-09T21:00-04:00"],
    end: "until",
  },
  {
    name: "NY COUNT=3 ends after the third occurrence",
    zone: "America/New_York",
    rule: "FREQ=DAILY;COUNT=3",
    expect: ["2025-03-07T09:00-05:00", "2025-03-08T09:00-05:00", "2025-03-09T09:00-04:00"],
    end: "count",
  },
  {
    name: "NY COUNT counts from the rule's DTSTART, not from the task that was completed",
    zone: "America/New_York",
    rule: "DTSTART;TZID=America/New_York:20250301T090000\nRRULE:FREQ=DAILY;COUNT=10",
    start: "2025-03-01T09:00-05:00",
    expect: [],
    after: "2025-03-09T09:00-04:00",
    expectAfter: ["2025-03-10T09:00-04:00"],
    end: "count",
  },
  {
    name: "NY BYSETPOS=-1: the last weekday of each month",
    zone: "America/New_York",
    rule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
    expect: [
      "2025-01-31T17:00-05:00",
      "2025-02-28T17:00-05:00",
      "2025-03-31T17:00-04:00",
      "2025-04-30T17:00-04:00",
      "2025-05-30T17:00-04:00",
    ],
  },
  {
    name: "NY every 3 days (INTERVAL=3) across spring-forward",
    zone: "America/New_York",
    rule: "FREQ=DAILY;INTERVAL=3",
    expect: ["2025-03-05T07:45-05:00", "2025-03-08T07:45-05:00", "2025-03-11T07:45-04:00", "2025-03-14T07:45-04:00"],
  },
  // Europe/London and Europe/Berlin
  {
    name: "London daily 09:00 across spring-forward",
    zone: "Europe/London",
    rule: "FREQ=DAILY",
    expect: ["2025-03-29T09:00+00:00", "2025-03-30T09:00+01:00", "2025-03-31T09:00+01:00"],
  },
  {
    name: "London daily 01:30 in the spring gap becomes 02:30 BST",
    zone: "Europe/London",
    rule: "FREQ=DAILY",
    expect: ["2025-03-29T01:30+00:00", "2025-03-30T02:30+01:00", "2025-03-31T01:30+01:00"],
    fits: { 1: "gap" },
  },
  {
    name: "London weekly Sunday 01:30 across fall-back takes the BST 01:30",
    zone: "Europe/London",
    rule: "FREQ=WEEKLY;BYDAY=SU",
    expect: ["2025-10-19T01:30+01:00", "2025-10-26T01:30+01:00", "2025-11-02T01:30+00:00"],
    fits: { 1: "ambiguous" },
  },
  {
    name: "London yearly on the last Sunday of March at 01:30 is in the gap every year",
    zone: "Europe/London",
    rule: "DTSTART;TZID=Europe/London:20240331T013000\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    expect: ["2024-03-31T02:30+01:00", "2025-03-30T02:30+01:00", "2026-03-29T02:30+01:00"],
    fits: { 0: "gap", 1: "gap", 2: "gap" },
  },
  {
    name: "London monthly on the last Friday (BYDAY=-1FR)",
    zone: "Europe/London",
    rule: "FREQ=MONTHLY;BYDAY=-1FR",
    expect: ["2025-01-31T12:00+00:00", "2025-02-28T12:00+00:00", "2025-03-28T12:00+00:00", "2025-04-25T12:00+01:00"],
  },
  {
    name: "London EXDATE in the series zone removes one day but still counts toward COUNT",
    zone: "Europe/London",
    rule: "DTSTART;TZID=Europe/London:20250324T090000\nRRULE:FREQ=DAILY;COUNT=5\nEXDATE;TZID=Europe/London:20250326T090000",
    expect: ["2025-03-24T09:00+00:00", "2025-03-25T09:00+00:00", "2025-03-27T09:00+00:00", "2025-03-28T09:00+00:00"],
    end: "count",
  },
  {
    name: "London EXDATE given in UTC matches the BST occurrence",
    zone: "Europe/London",
    rule: "FREQ=DAILY\nEXDATE:20250331T080000Z",
    expect: ["2025-03-29T09:00+00:00", "2025-03-30T09:00+01:00", "2025-04-01T09:00+01:00"],
  },
  {
    name: "London EXDATE with several values",
    zone: "Europe/London",
    rule: "RRULE:FREQ=WEEKLY;BYDAY=MO\nEXDATE;TZID=Europe/London:20250113T100000,20250120T100000",
    expect: ["2025-01-06T10:00+00:00", "2025-01-27T10:00+00:00", "2025-02-03T10:00+00:00"],
  },
  {
    name: "Berlin daily 02:30 in the spring gap becomes 03:30 CEST",
    zone: "Europe/Berlin",
    rule: "FREQ=DAILY",
    expect: ["2025-03-29T02:30+01:00", "2025-03-30T03:30+02:00", "2025-03-31T02:30+02:00"],
    fits: { 1: "gap" },
  },
  {
    name: "Berlin daily 02:30 at fall-back takes the CEST occurrence",
    zone: "Europe/Berlin",
    rule: "FREQ=DAILY",
    expect: ["2025-10-25T02:30+02:00", "2025-10-26T02:30+02:00", "2025-10-27T02:30+01:00"],
    fits: { 1: "ambiguous" },
  },
  // Australia/Sydney (southern hemisphere: DST ends in April)
  {
    name: "Sydney daily 02:30 in the October gap becomes 03:30 AEDT",
    zone: "Australia/Sydney",
    rule: "FREQ=DAILY",
    expect: ["2025-10-04T02:30+10:00", "2025-10-05T03:30+11:00", "2025-10-06T02:30+11:00"],
    fits: { 1: "gap" },
  },
  {
    name: "Sydney daily 02:30 at the April fall-back takes the AEDT occurrence",
    zone: "Australia/Sydney",
    rule: "FREQ=DAILY",
    expect: ["2025-04-05T02:30+11:00", "2025-04-06T02:30+11:00", "2025-04-07T02:30+10:00"],
    fits: { 1: "ambiguous" },
  },
  {
    name: "Sydney weekly on Sunday 09:00 across both changes of 2025",
    zone: "Australia/Sydney",
    rule: "FREQ=WEEKLY;INTERVAL=26;BYDAY=SU",
    expect: ["2025-03-30T09:00+11:00", "2025-09-28T09:00+10:00", "2026-03-29T09:00+11:00"],
  },
  // Australia/Lord_Howe (30-minute DST)
  {
    name: "Lord Howe daily 02:15 in the 30-minute October gap becomes 02:45 (+11)",
    zone: "Australia/Lord_Howe",
    rule: "FREQ=DAILY",
    expect: ["2025-10-04T02:15+10:30", "2025-10-05T02:45+11:00", "2025-10-06T02:15+11:00"],
    fits: { 1: "gap" },
  },
  {
    name: "Lord Howe daily 01:45 at the April fall-back takes the +11 occurrence",
    zone: "Australia/Lord_Howe",
    rule: "FREQ=DAILY",
    expect: ["2025-04-05T01:45+11:00", "2025-04-06T01:45+11:00", "2025-04-07T01:45+10:30"],
    fits: { 1: "ambiguous" },
  },
  {
    name: "Lord Howe every 30 minutes through the fall-back never repeats an instant",
    zone: "Australia/Lord_Howe",
    rule: "FREQ=MINUTELY;INTERVAL=30;COUNT=4",
    expect: ["2025-04-06T01:00+11:00", "2025-04-06T01:30+11:00", "2025-04-06T02:00+10:30", "2025-04-06T02:30+10:30"],
    fits: { 1: "ambiguous" },
    end: "count",
  },
  {
    name: "Lord Howe monthly on the first Sunday at 02:00 (DST starts on the 5 October occurrence)",
    zone: "Australia/Lord_Howe",
    rule: "FREQ=MONTHLY;BYDAY=1SU",
    expect: ["2025-09-07T02:00+10:30", "2025-10-05T02:30+11:00", "2025-11-02T02:00+11:00"],
    fits: { 1: "gap" },
  },
  // Pacific/Chatham (+12:45 / +13:45, changes at 02:45 local)
  {
    name: "Chatham daily 03:00 in the September gap becomes 04:00 (+13:45)",
    zone: "Pacific/Chatham",
    rule: "FREQ=DAILY",
    expect: ["2025-09-27T03:00+12:45", "2025-09-28T04:00+13:45", "2025-09-29T03:00+13:45"],
    fits: { 1: "gap" },
  },
  {
    name: "Chatham daily 03:00 at the April fall-back takes the +13:45 occurrence",
    zone: "Pacific/Chatham",
    rule: "FREQ=DAILY",
    expect: ["2025-04-05T03:00+13:45", "2025-04-06T03:00+13:45", "2025-04-07T03:00+12:45"],
    fits: { 1: "ambiguous" },
  },
  // America/Sao_Paulo (DST changed at midnight)
  {
    name: "São Paulo daily 00:30 on the day midnight did not exist becomes 01:30 (-02)",
    zone: "America/Sao_Paulo",
    rule: "FREQ=DAILY",
    expect: ["2018-11-03T00:30-03:00", "2018-11-04T01:30-02:00", "2018-11-05T00:30-02:00"],
    fits: { 1: "gap" },
  },
  {
    name: "São Paulo daily 23:30 on the repeated hour takes the -02 occurrence",
    zone: "America/Sao_Paulo",
    rule: "FREQ=DAILY",
    expect: ["2019-02-15T23:30-02:00", "2019-02-16T23:30-02:00", "2019-02-17T23:30-03:00"],
    fits: { 1: "ambiguous" },
  },
  {
    name: "São Paulo yearly on 4 November at 00:00 after DST was abolished (2019) stays 00:00 -03",
    zone: "America/Sao_Paulo",
    rule: "FREQ=YEARLY",
    expect: ["2018-11-03T00:00-03:00", "2019-11-03T00:00-03:00", "2020-11-03T00:00-03:00"],
  },
  // Pacific/Apia (skipped a whole day)
  {
    name: "Apia daily 09:00 over the skipped 30 December 2011: one occurrence per real instant",
    zone: "Pacific/Apia",
    rule: "FREQ=DAILY",
    expect: ["2011-12-28T09:00-10:00", "2011-12-29T09:00-10:00", "2011-12-31T09:00+14:00", "2012-01-01T09:00+14:00"],
    fits: { 2: "gap" },
  },
  {
    name: "Apia weekly on Friday 09:00: 30 December 2011 (a Friday) is moved to Saturday 31",
    zone: "Pacific/Apia",
    rule: "FREQ=WEEKLY;BYDAY=FR",
    expect: ["2011-12-23T09:00-10:00", "2011-12-31T09:00+14:00", "2012-01-06T09:00+14:00"],
    fits: { 1: "gap" },
  },
  {
    name: "Apia monthly on the 15th across its 2021 abolition of DST (+14 → +13)",
    zone: "Pacific/Apia",
    rule: "FREQ=MONTHLY;BYMONTHDAY=15",
    expect: ["2021-03-15T12:00+14:00", "2021-04-15T12:00+13:00", "2021-05-15T12:00+13:00"],
  },
  // Zones without DST, with fractional offsets
  {
    name: "Kolkata every other week on Tuesday and Thursday",
    zone: "Asia/Kolkata",
    rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
    expect: [
      "2025-01-07T07:15+05:30",
      "2025-01-09T07:15+05:30",
      "2025-01-21T07:15+05:30",
      "2025-01-23T07:15+05:30",
      "2025-02-04T07:15+05:30",
    ],
  },
  {
    name: "Kolkata yearly on 29 February only in leap years",
    zone: "Asia/Kolkata",
    rule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    expect: ["2024-02-29T08:00+05:30", "2028-02-29T08:00+05:30", "2032-02-29T08:00+05:30"],
  },
  {
    name: "Kolkata midnight daily (23:59→00:00 day boundary in local time)",
    zone: "Asia/Kolkata",
    rule: "FREQ=DAILY;COUNT=3",
    expect: ["2025-06-30T00:00+05:30", "2025-07-01T00:00+05:30", "2025-07-02T00:00+05:30"],
    end: "count",
  },
  {
    name: "Kathmandu (+05:45) monthly on the 1st and 15th",
    zone: "Asia/Kathmandu",
    rule: "FREQ=MONTHLY;BYMONTHDAY=1,15",
    expect: ["2025-01-01T06:00+05:45", "2025-01-15T06:00+05:45", "2025-02-01T06:00+05:45"],
  },
  {
    name: "St John's (-03:30 → -02:30) daily 02:15 in the gap becomes 03:15 NDT",
    zone: "America/St_Johns",
    rule: "FREQ=DAILY",
    expect: ["2025-03-08T02:15-03:30", "2025-03-09T03:15-02:30", "2025-03-10T02:15-02:30"],
    fits: { 1: "gap" },
  },
  {
    name: "UTC series are not shifted by anything",
    zone: "UTC",
    rule: "FREQ=WEEKLY;BYDAY=SU;COUNT=3",
    expect: ["2025-03-02T02:30Z", "2025-03-09T02:30Z", "2025-03-16T02:30Z"],
    end: "count",
  },
  {
    name: "DTSTART in UTC (…Z) defines a UTC series even for a New York task",
    zone: "America/New_York",
    rule: "DTSTART:20250307T140000Z\nRRULE:FREQ=DAILY;COUNT=3",
    expect: ["2025-03-07T14:00Z", "2025-03-08T14:00Z", "2025-03-09T14:00Z"],
    end: "count",
  },
  {
    name: "DTSTART;TZID overrides the task's zone",
    zone: "America/New_York",
    rule: "DTSTART;TZID=Europe/London:20250329T090000\nRRULE:FREQ=DAILY",
    expect: ["2025-03-29T09:00+00:00", "2025-03-30T09:00+01:00"],
  },
];

describe(`DST transitions and zones (TZ=${process.env.TZ ?? "unset"})`, () => {
  for (const c of dstCases) test(`${c.zone}: ${c.name}`, () => runChain(c));
});

describe("next occurrence from an arbitrary instant", () => {
  const series = {
    recurrence: "FREQ=WEEKLY;BYDAY=MO,TH",
    timeZone: "Australia/Sydney",
    start: Temporal.Instant.from("2025-09-01T08:00:00+10:00"),
  };
  const cases: [after: string, want: string][] = [
    ["2025-09-01T08:00:00+10:00", "2025-09-04T08:00+10:00"],
    ["2025-09-01T07:59:59+10:00", "2025-09-01T08:00+10:00"],
    ["2025-09-04T08:00:00.001+10:00", "2025-09-08T08:00+10:00"],
    ["2025-10-02T12:00:00+10:00", "2025-10-06T08:00+11:00"],
    ["2020-01-01T00:00:00Z", "2025-09-01T08:00+10:00"],
  ];
  for (const [after, want] of cases) {
    test(`after ${after}`, () => {
      const got = nextOccurrence(series, Temporal.Instant.from(after));
      assert.equal(got.kind, "next");
      if (got.kind === "next") assert.equal(got.at.epochMilliseconds, expectedMs(want));
    });
  }

  test("the reported wall-clock time is the rule's, and the zone is the series'", () => {
    const got = nextOccurrence(
      { recurrence: "FREQ=DAILY", timeZone: "America/New_York", start: Temporal.Instant.from("2025-03-08T07:30:00Z") },
      Temporal.Instant.from("2025-03-08T07:30:00Z"),
    );
    assert.equal(got.kind, "next");
    if (got.kind !== "next") return;
    assert.equal(got.wallClock.toString(), "2025-03-09T02:30:00");
    assert.equal(got.zone, "America/New_York");
    assert.equal(got.fit, "gap");
    assert.equal(got.index, 1);
    assert.equal(got.at.toString(), "2025-03-09T07:30:00Z");
  });
});
