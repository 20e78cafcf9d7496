/**
 * The recurrence examples of RFC 5545 section 3.8.5.3 (DTSTART;TZID=America/New_York), each
 * walked occurrence by occurrence with nextOccurrence. Expected instants are written with their
 * UTC offset and compared through Date.parse, so the oracle shares no code with the engine.
 * Runs once per TZ (scripts/test.ts): results must not depend on the machine's zone.
 */
import { describe, test } from "node:test";
import { runChain, type ChainCase } from "./support/chain.js";

const NY = "America/New_York";
const dt = (local: string): string => `DTSTART;TZID=${NY}:${local}`;

const cases: ChainCase[] = [
  {
    name: "daily for 10 occurrences",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=DAILY;COUNT=10`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-03T09:00-04:00", "1997-09-04T09:00-04:00", "1997-09-05T09:00-04:00", "1997-09-06T09:00-04:00", "1997-09-07T09:00-04:00", "1997-09-08T09:00-04:00", "1997-09-09T09:00-04:00", "1997-09-10T09:00-04:00", "1997-09-11T09:00-04:00"],
    end: "count",
  },
  {
    name: "daily until a UTC instant (UNTIL=…Z)",
    rule: `${dt("19971020T090000")}\nRRULE:FREQ=DAILY;UNTIL=19971024T000000Z`,
    expect: ["1997-10-20T09:00-04:00", "1997-10-21T09:00-04:00", "1997-10-22T09:00-04:00", "1997-10-23T09:00-04:00"],
    end: "until",
  },
  {
    name: "every other day, forever",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=DAILY;INTERVAL=2`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-04T09:00-04:00", "1997-09-06T09:00-04:00", "1997-09-08T09:00-04:00"],
  },
  {
    name: "every 10 days, 5 occurrences",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=DAILY;INTERVAL=10;COUNT=5`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-12T09:00-04:00", "1997-09-22T09:00-04:00", "1997-10-02T09:00-04:00", "1997-10-12T09:00-04:00"],
    end: "count",
  },
  {
    name: "every day in January, for 3 years (yearly form)",
    rule: `${dt("19980101T090000")}\nRRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA`,
    expect: ["1998-01-01T09:00-05:00", "1998-01-02T09:00-05:00"],
    after: "1998-01-30T14:00:00Z",
    expectAfter: ["1998-01-31T09:00-05:00", "1999-01-01T09:00-05:00"],
  },
  {
    name: "every day in January, for 3 years: ends after 31 January 2000",
    rule: `${dt("19980101T090000")}\nRRULE:FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA`,
    expect: [],
    after: "2000-01-30T14:00:00Z",
    expectAfter: ["2000-01-31T09:00-05:00"],
    end: "until",
  },
  {
    name: "weekly for 10 occurrences keeps 09:00 across the DST end",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=WEEKLY;COUNT=10`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-09T09:00-04:00", "1997-09-16T09:00-04:00", "1997-09-23T09:00-04:00", "1997-09-30T09:00-04:00", "1997-10-07T09:00-04:00", "1997-10-14T09:00-04:00", "1997-10-21T09:00-04:00", "1997-10-28T09:00-05:00", "1997-11-04T09:00-05:00"],
    end: "count",
  },
  {
    name: "weekly on Tuesday and Thursday for five weeks (UNTIL)",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-04T09:00-04:00", "1997-09-09T09:00-04:00", "1997-09-11T09:00-04:00", "1997-09-16T09:00-04:00", "1997-09-18T09:00-04:00", "1997-09-23T09:00-04:00", "1997-09-25T09:00-04:00", "1997-09-30T09:00-04:00", "1997-10-02T09:00-04:00"],
    end: "until",
  },
  {
    name: "every other week on Monday, Wednesday and Friday until December 24, 1997",
    rule: `${dt("19970901T090000")}\nRRULE:FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR`,
    expect: ["1997-09-01T09:00-04:00", "1997-09-03T09:00-04:00", "1997-09-05T09:00-04:00", "1997-09-15T09:00-04:00", "1997-09-17T09:00-04:00", "1997-09-19T09:00-04:00", "1997-09-29T09:00-04:00", "1997-10-01T09:00-04:00"],
    after: "1997-12-01T00:00:00Z",
    expectAfter: ["1997-12-08T09:00-05:00", "1997-12-10T09:00-05:00", "1997-12-12T09:00-05:00", "1997-12-22T09:00-05:00"],
    end: "until",
  },
  {
    name: "every other week on Tuesday and Thursday, for 8 occurrences",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-04T09:00-04:00", "1997-09-16T09:00-04:00", "1997-09-18T09:00-04:00", "1997-09-30T09:00-04:00", "1997-10-02T09:00-04:00", "1997-10-14T09:00-04:00", "1997-10-16T09:00-04:00"],
    end: "count",
  },
  {
    name: "monthly on the first Friday for 10 occurrences (crosses both DST changes)",
    rule: `${dt("19970905T090000")}\nRRULE:FREQ=MONTHLY;COUNT=10;BYDAY=1FR`,
    expect: ["1997-09-05T09:00-04:00", "1997-10-03T09:00-04:00", "1997-11-07T09:00-05:00", "1997-12-05T09:00-05:00", "1998-01-02T09:00-05:00", "1998-02-06T09:00-05:00", "1998-03-06T09:00-05:00", "1998-04-03T09:00-05:00", "1998-05-01T09:00-04:00", "1998-06-05T09:00-04:00"],
    end: "count",
  },
  {
    name: "every other month on the first and last Sunday, 10 occurrences",
    rule: `${dt("19970907T090000")}\nRRULE:FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU`,
    expect: ["1997-09-07T09:00-04:00", "1997-09-28T09:00-04:00", "1997-11-02T09:00-05:00", "1997-11-30T09:00-05:00", "1998-01-04T09:00-05:00", "1998-01-25T09:00-05:00", "1998-03-01T09:00-05:00", "1998-03-29T09:00-05:00", "1998-05-03T09:00-04:00", "1998-05-31T09:00-04:00"],
    end: "count",
  },
  {
    name: "monthly on the second-to-last Monday for 6 months",
    rule: `${dt("19970922T090000")}\nRRULE:FREQ=MONTHLY;COUNT=6;BYDAY=-2MO`,
    expect: ["1997-09-22T09:00-04:00", "1997-10-20T09:00-04:00", "1997-11-17T09:00-05:00", "1997-12-22T09:00-05:00", "1998-01-19T09:00-05:00", "1998-02-16T09:00-05:00"],
    end: "count",
  },
  {
    name: "monthly on the third-to-the-last day, forever",
    rule: `${dt("19970928T090000")}\nRRULE:FREQ=MONTHLY;BYMONTHDAY=-3`,
    expect: ["1997-09-28T09:00-04:00", "1997-10-29T09:00-05:00", "1997-11-28T09:00-05:00", "1997-12-29T09:00-05:00", "1998-01-29T09:00-05:00", "1998-02-26T09:00-05:00"],
  },
  {
    name: "monthly on the 2nd and 15th for 10 occurrences",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-15T09:00-04:00", "1997-10-02T09:00-04:00", "1997-10-15T09:00-04:00", "1997-11-02T09:00-05:00", "1997-11-15T09:00-05:00", "1997-12-02T09:00-05:00", "1997-12-15T09:00-05:00", "1998-01-02T09:00-05:00", "1998-01-15T09:00-05:00"],
    end: "count",
  },
  {
    name: "monthly on the first and last day for 10 occurrences",
    rule: `${dt("19970930T090000")}\nRRULE:FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1`,
    expect: ["1997-09-30T09:00-04:00", "1997-10-01T09:00-04:00", "1997-10-31T09:00-05:00", "1997-11-01T09:00-05:00", "1997-11-30T09:00-05:00", "1997-12-01T09:00-05:00", "1997-12-31T09:00-05:00", "1998-01-01T09:00-05:00", "1998-01-31T09:00-05:00", "1998-02-01T09:00-05:00"],
    end: "count",
  },
  {
    name: "every 18 months on the 10th through 15th, 10 occurrences",
    rule: `${dt("19970910T090000")}\nRRULE:FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15`,
    expect: ["1997-09-10T09:00-04:00", "1997-09-11T09:00-04:00", "1997-09-12T09:00-04:00", "1997-09-13T09:00-04:00", "1997-09-14T09:00-04:00", "1997-09-15T09:00-04:00", "1999-03-10T09:00-05:00", "1999-03-11T09:00-05:00", "1999-03-12T09:00-05:00", "1999-03-13T09:00-05:00"],
    end: "count",
  },
  {
    name: "every Tuesday, every other month",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=TU`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-09T09:00-04:00", "1997-09-16T09:00-04:00", "1997-09-23T09:00-04:00", "1997-09-30T09:00-04:00", "1997-11-04T09:00-05:00", "1997-11-11T09:00-05:00"],
  },
  {
    name: "yearly in June and July for 10 occurrences",
    rule: `${dt("19970610T090000")}\nRRULE:FREQ=YEARLY;COUNT=10;BYMONTH=6,7`,
    expect: ["1997-06-10T09:00-04:00", "1997-07-10T09:00-04:00", "1998-06-10T09:00-04:00", "1998-07-10T09:00-04:00", "1999-06-10T09:00-04:00", "1999-07-10T09:00-04:00", "2000-06-10T09:00-04:00", "2000-07-10T09:00-04:00", "2001-06-10T09:00-04:00", "2001-07-10T09:00-04:00"],
    end: "count",
  },
  {
    name: "every other year on January, February and March for 10 occurrences",
    rule: `${dt("19970310T090000")}\nRRULE:FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3`,
    expect: ["1997-03-10T09:00-05:00", "1999-01-10T09:00-05:00", "1999-02-10T09:00-05:00", "1999-03-10T09:00-05:00", "2001-01-10T09:00-05:00", "2001-02-10T09:00-05:00", "2001-03-10T09:00-05:00", "2003-01-10T09:00-05:00", "2003-02-10T09:00-05:00", "2003-03-10T09:00-05:00"],
    end: "count",
  },
  {
    name: "every third year on the 1st, 100th and 200th day for 10 occurrences",
    rule: `${dt("19970101T090000")}\nRRULE:FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200`,
    expect: ["1997-01-01T09:00-05:00", "1997-04-10T09:00-04:00", "1997-07-19T09:00-04:00", "2000-01-01T09:00-05:00", "2000-04-09T09:00-04:00", "2000-07-18T09:00-04:00", "2003-01-01T09:00-05:00", "2003-04-10T09:00-04:00", "2003-07-19T09:00-04:00", "2006-01-01T09:00-05:00"],
    end: "count",
  },
  {
    name: "every 20th Monday of the year",
    rule: `${dt("19970519T090000")}\nRRULE:FREQ=YEARLY;BYDAY=20MO`,
    expect: ["1997-05-19T09:00-04:00", "1998-05-18T09:00-04:00", "1999-05-17T09:00-04:00"],
  },
  {
    name: "Monday of ISO week number 20",
    rule: `${dt("19970512T090000")}\nRRULE:FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO`,
    expect: ["1997-05-12T09:00-04:00", "1998-05-11T09:00-04:00", "1999-05-17T09:00-04:00"],
  },
  {
    name: "every Thursday in March, forever",
    rule: `${dt("19970313T090000")}\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=TH`,
    expect: ["1997-03-13T09:00-05:00", "1997-03-20T09:00-05:00", "1997-03-27T09:00-05:00", "1998-03-05T09:00-05:00", "1998-03-12T09:00-05:00", "1998-03-19T09:00-05:00", "1998-03-26T09:00-05:00", "1999-03-04T09:00-05:00"],
  },
  {
    name: "every Friday the 13th, with the unsynchronised DTSTART excluded",
    rule: `${dt("19970902T090000")}\nEXDATE;TZID=${NY}:19970902T090000\nRRULE:FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13`,
    expect: ["1998-02-13T09:00-05:00", "1998-03-13T09:00-05:00", "1998-11-13T09:00-05:00", "1999-08-13T09:00-04:00", "2000-10-13T09:00-04:00"],
  },
  {
    name: "the first Saturday that follows the first Sunday of the month",
    rule: `${dt("19970913T090000")}\nRRULE:FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13`,
    expect: ["1997-09-13T09:00-04:00", "1997-10-11T09:00-04:00", "1997-11-08T09:00-05:00", "1997-12-13T09:00-05:00", "1998-01-10T09:00-05:00", "1998-02-07T09:00-05:00", "1998-03-07T09:00-05:00"],
  },
  {
    name: "US presidential election day, every 4 years",
    rule: `${dt("19961105T090000")}\nRRULE:FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8`,
    expect: ["1996-11-05T09:00-05:00", "2000-11-07T09:00-05:00", "2004-11-02T09:00-05:00"],
  },
  {
    name: "the third of Tuesday/Wednesday/Thursday for the next 3 months (BYSETPOS)",
    rule: `${dt("19970904T090000")}\nRRULE:FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3`,
    expect: ["1997-09-04T09:00-04:00", "1997-10-07T09:00-04:00", "1997-11-06T09:00-05:00"],
    end: "count",
  },
  {
    name: "the second-to-last weekday of the month (BYSETPOS=-2)",
    rule: `${dt("19970929T090000")}\nRRULE:FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2`,
    expect: ["1997-09-29T09:00-04:00", "1997-10-30T09:00-05:00", "1997-11-27T09:00-05:00", "1997-12-30T09:00-05:00", "1998-01-29T09:00-05:00", "1998-02-26T09:00-05:00", "1998-03-30T09:00-05:00"],
  },
  {
    // The RFC's printed result (…, 15:00) contradicts its own UNTIL (17:00Z is 13:00 EDT); UNTIL wins.
    name: "every 3 hours from 09:00 until 17:00Z",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=HOURLY;INTERVAL=3;UNTIL=19970902T170000Z`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-02T12:00-04:00"],
    end: "until",
  },
  {
    name: "every 15 minutes for 6 occurrences",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=MINUTELY;INTERVAL=15;COUNT=6`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-02T09:15-04:00", "1997-09-02T09:30-04:00", "1997-09-02T09:45-04:00", "1997-09-02T10:00-04:00", "1997-09-02T10:15-04:00"],
    end: "count",
  },
  {
    name: "every 20 minutes from 9:00 to 16:40, daily form",
    rule: `${dt("19970902T090000")}\nRRULE:FREQ=DAILY;BYHOUR=9,10,11,12,13,14,15,16;BYMINUTE=0,20,40`,
    expect: ["1997-09-02T09:00-04:00", "1997-09-02T09:20-04:00", "1997-09-02T09:40-04:00", "1997-09-02T10:00-04:00"],
    after: "1997-09-02T20:30:00Z",
    expectAfter: ["1997-09-02T16:40-04:00", "1997-09-03T09:00-04:00"],
  },
  {
    name: "WKST=MO: every other week on Tuesday and Sunday",
    rule: `${dt("19970805T090000")}\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO`,
    expect: ["1997-08-05T09:00-04:00", "1997-08-10T09:00-04:00", "1997-08-19T09:00-04:00", "1997-08-24T09:00-04:00"],
    end: "count",
  },
  {
    name: "WKST=SU changes the same rule's result",
    rule: `${dt("19970805T090000")}\nRRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU`,
    expect: ["1997-08-05T09:00-04:00", "1997-08-17T09:00-04:00", "1997-08-19T09:00-04:00", "1997-08-31T09:00-04:00"],
    end: "count",
  },
  {
    name: "an invalid date (30 February) is ignored",
    rule: `DTSTART;TZID=${NY}:20070115T090000\nRRULE:FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5`,
    expect: ["2007-01-15T09:00-05:00", "2007-01-30T09:00-05:00", "2007-02-15T09:00-05:00", "2007-03-15T09:00-04:00", "2007-03-30T09:00-04:00"],
    end: "count",
  },
];

describe(`RFC 5545 section 3.8.5.3 examples (TZ=${process.env.TZ ?? "unset"})`, () => {
  for (const c of cases) test(c.name, () => runChain({ zone: NY, ...c }));
});

export const rfcCaseCount = cases.length;
