/**
 * The iCalendar rendering, read back by an independent parser (ical.js, Mozilla's, MPL-2.0): text escaping
 * and line folding round-trip; every generated VTIMEZONE gives, in ical.js's own time-zone arithmetic, the
 * offset the runtime's time-zone database (Intl) gives, at random instants over 2000-2060.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { TaskSnapshot } from "@tasks/shared";
import fc from "fast-check";
import ICAL from "ical.js";
import { escapeText, foldLine, renderCalendar, rruleValue } from "../src/ics.js";
import { offsetAt, vtimezoneLines } from "../src/vtimezone.js";

const task = (over: Partial<TaskSnapshot>): TaskSnapshot => ({
  id: "0b6f0a57-5b0e-4c43-9a57-6c7a4f0f2d01",
  userId: "u",
  title: "t",
  description: null,
  priority: "medium",
  status: "open",
  tags: [],
  dueAt: "2030-01-01T00:00:00.000Z",
  timeZone: "UTC",
  reminders: [],
  recurrence: null,
  seriesId: null,
  occurrenceAt: null,
  completedAt: null,
  createdAt: "2029-01-01T00:00:00.000Z",
  updatedAt: "2029-01-02T00:00:00.000Z",
  version: 1,
  ...over,
});

const parse = (ics: string) => new ICAL.Component(ICAL.parse(ics));

test("text with commas, semicolons, backslashes, newlines and non-ASCII survives escaping and folding", () => {
  fc.assert(
    fc.property(
      fc.string({ unit: "grapheme", minLength: 1, maxLength: 200 }).filter((s) => !/[\u0000-\u001f\u007f]/.test(s)),
      fc.string({ unit: "grapheme", maxLength: 400 }).map((s) => s.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, "")),
      (title, description) => {
        const ics = renderCalendar({ name: "Tasks, mine; \\ok", tasks: [task({ title, description: description || null })] });
        for (const line of ics.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, `line over 75 octets: ${line}`);
        assert.ok(ics.endsWith("\r\n") && !/[^\r]\n/.test(ics), "CRLF line ends only");
        const vevent = parse(ics).getFirstSubcomponent("vevent")!;
        assert.equal(vevent.getFirstPropertyValue("summary"), title);
        assert.equal(vevent.getFirstPropertyValue("description") ?? "", description);
        // ical.js keeps X- and RFC 7986 properties as raw (escaped) text.
        assert.equal(parse(ics).getFirstPropertyValue("x-wr-calname"), "Tasks\\, mine\\; \\\\ok");
      },
    ),
    { numRuns: 300 },
  );
});

test("folding splits at 75 octets without cutting a UTF-8 sequence, continuation lines start with one space", () => {
  const line = `SUMMARY:${"é".repeat(100)}😀x`;
  const folded = foldLine(line).split("\r\n");
  assert.ok(folded.length > 1);
  for (const l of folded) assert.ok(Buffer.byteLength(l) <= 75 && !l.includes("\uFFFD"));
  assert.ok(folded.slice(1).every((l) => l.startsWith(" ")));
  assert.equal(folded.map((l, i) => (i === 0 ? l : l.slice(1))).join(""), line);
  assert.equal(escapeText("a,b;c\\d\ne\r\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
});

test("UNTIL becomes UTC, as RFC 5545 requires with a TZID start: a date is the end of that day in the task's zone", () => {
  assert.equal(rruleValue("FREQ=DAILY;UNTIL=20300105", "Europe/Paris"), "FREQ=DAILY;UNTIL=20300105T225959Z");
  assert.equal(rruleValue("FREQ=DAILY;UNTIL=20300705T090000", "Europe/Paris"), "FREQ=DAILY;UNTIL=20300705T070000Z");
  assert.equal(rruleValue("RRULE:FREQ=WEEKLY;UNTIL=20300105T120000Z", "Europe/Paris"), "FREQ=WEEKLY;UNTIL=20300105T120000Z");
});

test("a one-off task due in a fall-back's repeated hour is given in UTC (clients differ on which pass a local time names)", () => {
  const start = (dueAt: string, recurrence: string | null = null) => {
    const ev = parse(renderCalendar({ name: "t", tasks: [task({ dueAt, timeZone: "Europe/Paris", recurrence })] })).getFirstSubcomponent(
      "vevent",
    )!;
    const prop = ev.getFirstProperty("dtstart")!;
    return { tzid: prop.getParameter("tzid"), ms: (prop.getFirstValue() as ICAL.Time).toUnixTime() * 1000 };
  };
  // 2031-10-26: 02:30 Paris happens at 00:30Z (CEST) and again at 01:30Z (CET).
  assert.deepEqual(start("2031-10-26T00:30:00.000Z"), { tzid: undefined, ms: Date.parse("2031-10-26T00:30:00Z") });
  assert.deepEqual(start("2031-10-26T01:30:00.000Z"), { tzid: undefined, ms: Date.parse("2031-10-26T01:30:00Z") });
  assert.deepEqual(start("2031-10-26T02:30:00.000Z"), { tzid: "Europe/Paris", ms: Date.parse("2031-10-26T02:30:00Z") });
  assert.equal(start("2031-10-26T01:30:00.000Z", "FREQ=DAILY").tzid, "Europe/Paris");
});

const zones = [
  "Europe/Paris",
  "Europe/London",
  "America/New_York",
  "America/Sao_Paulo",
  "America/Santiago",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Pacific/Auckland",
  "Pacific/Chatham",
  "Asia/Tehran",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Africa/Casablanca",
  "America/St_Johns",
  "Europe/Dublin",
  "UTC",
];

/** Wall-clock fields of `ms` in `zone` by Intl. */
const intlFormats = new Map<string, Intl.DateTimeFormat>();
const intlWall = (zone: string, ms: number): number[] => {
  const format =
    intlFormats.get(zone) ??
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  intlFormats.set(zone, format);
  const parts = format.formatToParts(new Date(ms));
  return ["year", "month", "day", "hour", "minute", "second"].map((t) => Number(parts.find((p) => p.type === t)!.value));
};
// `+ 0`: ical.js can yield -0 for a zero field.
const icalWall = (t: ICAL.Time): number[] => [t.year, t.month, t.day, t.hour, t.minute, t.second].map((x) => x + 0);

const zoneOf = (zone: string, fromYear: number) => {
  const cal = parse(
    [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//t//t//EN",
      ...vtimezoneLines(zone, fromYear, new Date().getUTCFullYear()),
      "END:VCALENDAR",
      "",
    ].join("\r\n"),
  );
  return new ICAL.Timezone({ component: cal.getFirstSubcomponent("vtimezone")!, tzid: zone });
};
const same = (a: number[], b: number[]) => a.every((x, i) => x === b[i]);

/**
 * The direction a calendar app uses: DTSTART;TZID=zone:<local time> to an instant. For an instant `ms`, its
 * local time by Intl must lead ical.js back to `ms`, unless that local time occurs twice (fall back).
 */
function checkLocalToInstant(zone: string, tz: ICAL.Timezone, ms: number): boolean {
  const wall = intlWall(zone, ms);
  const change = Math.abs(offsetAt(zone, ms - 10_800_000) - offsetAt(zone, ms + 10_800_000)) * 60_000;
  if (change > 0 && (same(intlWall(zone, ms - change), wall) || same(intlWall(zone, ms + change), wall))) return false;
  const [year, month, day, hour, minute, second] = wall as [number, number, number, number, number, number];
  const t = ICAL.Time.fromData({ year, month, day, hour, minute, second }, tz);
  assert.equal(t.toUnixTime() * 1000, ms, `${zone}: ${wall.join(",")} should be ${new Date(ms).toISOString()}`);
  return true;
}

test("each zone's VTIMEZONE, read by ical.js, places local times where Intl does, at random instants from 2000 to 2060", () => {
  for (const zone of zones) {
    const tz = zoneOf(zone, 2000);
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 2), max: Date.UTC(2060, 0, 1) }), (seconds) => {
        const ms = seconds - (seconds % 1000);
        checkLocalToInstant(zone, tz, ms);
        // And back from the instant, away from a change (ical.js converts UTC to local with the offset of the
        // UTC fields read as local time, so it can be off for as many hours as the zone's offset after a change).
        if (offsetAt(zone, ms - 54_000_000) === offsetAt(zone, ms + 54_000_000))
          assert.deepEqual(icalWall(ICAL.Time.fromJSDate(new Date(ms), true).convertToZone(tz)), intlWall(zone, ms), zone);
      }),
      { numRuns: 400, reporter: (r) => assert.ok(!r.failed, `${zone}: ${String(r.errorInstance)}`) },
    );
  }
});

test("the hours around each 2031 DST change in Paris, New York and Sydney: ical.js and Intl agree minute by minute", () => {
  for (const [zone, changes] of [
    ["Europe/Paris", [Date.UTC(2031, 2, 30, 1), Date.UTC(2031, 9, 26, 1)]],
    ["America/New_York", [Date.UTC(2031, 2, 9, 7), Date.UTC(2031, 10, 2, 6)]],
    ["Australia/Sydney", [Date.UTC(2031, 3, 5, 16), Date.UTC(2031, 9, 4, 16)]],
  ] as const) {
    const tz = zoneOf(zone, 2025);
    for (const at of changes) {
      assert.notEqual(offsetAt(zone, at - 1000), offsetAt(zone, at), `${zone}: a change at ${new Date(at).toISOString()}`);
      let checked = 0;
      for (let ms = at - 7_200_000; ms <= at + 7_200_000; ms += 60_000) if (checkLocalToInstant(zone, tz, ms)) checked++;
      // Only the repeated hour of a fall-back is skipped (both of its 60 minutes).
      assert.ok(checked >= 121, `${zone}: ${checked} minutes checked`);
    }
  }
});

test("VALARMs: the task's own reminders, else (not set) the defaults given; [] none; not set without defaults is refused", () => {
  const triggers = (ics: string) =>
    parse(ics)
      .getAllSubcomponents("vevent")
      .map((ev) => ev.getAllSubcomponents("valarm").map((a) => (a.getFirstPropertyValue("trigger") as ICAL.Duration).toSeconds() / 60));
  const own = task({ reminders: [120, 0] });
  const unset = task({ id: "0b6f0a57-5b0e-4c43-9a57-6c7a4f0f2d02", reminders: null });
  const none = task({ id: "0b6f0a57-5b0e-4c43-9a57-6c7a4f0f2d03", reminders: [] });
  assert.deepEqual(triggers(renderCalendar({ name: "t", tasks: [own, unset, none], defaultReminders: [45] })), [[-120, 0], [-45], []]);
  assert.deepEqual(triggers(renderCalendar({ name: "t", tasks: [unset], defaultReminders: [] })), [[]]);
  assert.throws(() => renderCalendar({ name: "t", tasks: [unset] }), /defaultReminders are needed/);
  // Only tasks with a due time count: an undated task with reminders not set needs no default.
  assert.doesNotThrow(() => renderCalendar({ name: "t", tasks: [own, { ...unset, dueAt: null }] }));
});
