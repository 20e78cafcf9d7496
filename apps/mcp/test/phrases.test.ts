/**
 * The phrase table: every phrase read in three zones, each from a Saturday 10:00 local on the eve of that
 * zone's DST change (London 29 March, New York 8 March, Sydney 5 April 2026), so "tomorrow" and the first
 * occurrences fall on the DST day. Expectations are zone-independent wall-clock facts (days after the
 * reference, local time, a predicate every occurrence must meet, the first being the earliest such).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Temporal } from "@tasks/shared/recurrence/index";
import { interpretPhrase, PhraseError, type PhraseResult } from "../src/phrases/schedule.js";

const zones = {
  "Europe/London": "2026-03-28T10:00",
  "America/New_York": "2026-03-07T10:00",
  "Australia/Sydney": "2026-04-04T10:00",
} as const;
type Zone = keyof typeof zones;

type D = Temporal.PlainDate;
type Expect =
  | { kind: "once"; days?: number; offset?: Temporal.DurationLike; date?: string; time: string }
  | { kind: "after"; minutes: number }
  | {
      kind: "rec";
      rrule: string | ((zone: Zone) => string);
      time?: string;
      match?: (d: D) => boolean;
      gapDays?: number;
      gapHours?: number;
      count?: number;
      firstDate?: string;
    }
  | { kind: "err"; message: RegExp };

const once = (days: number, time: string): Expect => ({ kind: "once", days, time });
const onDate = (date: string, time: string): Expect => ({ kind: "once", date, time });
const rec = (rrule: string, time: string, match: (d: D) => boolean, extra: Partial<Extract<Expect, { kind: "rec" }>> = {}): Expect => ({
  kind: "rec",
  rrule,
  time,
  match,
  ...extra,
});
const err = (message: RegExp): Expect => ({ kind: "err", message });
const any = (): boolean => true;
const wd =
  (...days: number[]) =>
  (d: D) =>
    days.includes(d.dayOfWeek);
const untilEndOf = (date: string) => (zone: Zone) => {
  const end = Temporal.PlainDateTime.from(`${date}T23:59:59`).toZonedDateTime(zone).toInstant().toZonedDateTimeISO("UTC");
  return `FREQ=DAILY;UNTIL=${end.toPlainDate().toString().replace(/-/g, "")}T${end.toPlainTime().toString().replace(/:/g, "")}Z`;
};

export const table: readonly (readonly [string, Expect])[] = [
  ["tomorrow 5pm", once(1, "17:00")],
  ["tomorrow", once(1, "09:00")],
  ["today 6pm", once(0, "18:00")],
  ["today at noon", once(0, "12:00")],
  ["the day after tomorrow at 8:30am", once(2, "08:30")],
  ["next Friday", once(6, "09:00")],
  ["Friday 3pm", once(6, "15:00")],
  ["this Monday at 10am", once(2, "10:00")],
  ["Monday next week", once(9, "09:00")],
  ["next sunday at 17:30", once(1, "17:30")],
  ["on Saturday", once(7, "09:00")],
  ["in 3 days", once(3, "10:00")],
  ["in a week", once(7, "10:00")],
  ["in 2 weeks at 9am", once(14, "09:00")],
  ["in 1 month", { kind: "once", offset: { months: 1 }, time: "10:00" }],
  ["in 2 hours", { kind: "after", minutes: 120 }],
  ["in 30 minutes", { kind: "after", minutes: 30 }],
  ["24 December", onDate("2026-12-24", "09:00")],
  ["December 24 at 3pm", onDate("2026-12-24", "15:00")],
  ["24 Dec 2027 10:15", onDate("2027-12-24", "10:15")],
  ["2027-01-15 at 9am", onDate("2027-01-15", "09:00")],
  ["1st of January", onDate("2027-01-01", "09:00")],
  ["at 5pm", once(0, "17:00")],
  ["7am", once(1, "07:00")],
  ["midnight", once(1, "00:00")],
  ["Tomorrow at 5 p.m.", once(1, "17:00")],
  ["every weekday at 9am", rec("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "09:00", wd(1, 2, 3, 4, 5))],
  ["every other Monday", rec("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "09:00", wd(1), { gapDays: 14 })],
  ["the first Monday of every month", rec("FREQ=MONTHLY;BYDAY=1MO", "09:00", (d) => d.dayOfWeek === 1 && d.day <= 7)],
  ["on the 31st of each month", rec("FREQ=MONTHLY;BYMONTHDAY=31", "09:00", (d) => d.day === 31)],
  ["every year on 29 February", rec("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "09:00", (d) => d.month === 2 && d.day === 29)],
  ["daily until 20 December", { kind: "rec", rrule: untilEndOf("2026-12-20"), time: "09:00", match: any, gapDays: 1 }],
  ["every day at 7:15", rec("FREQ=DAILY", "07:15", any, { gapDays: 1 })],
  ["daily at 6pm", rec("FREQ=DAILY", "18:00", any, { gapDays: 1 })],
  ["every Monday and Thursday at 17:00", rec("FREQ=WEEKLY;BYDAY=MO,TH", "17:00", wd(1, 4))],
  ["every Tuesday", rec("FREQ=WEEKLY;BYDAY=TU", "09:00", wd(2), { gapDays: 7 })],
  ["Tuesdays and Fridays at 8am", rec("FREQ=WEEKLY;BYDAY=TU,FR", "08:00", wd(2, 5))],
  ["every other day", rec("FREQ=DAILY;INTERVAL=2", "09:00", any, { gapDays: 2 })],
  ["every 3 days at noon", rec("FREQ=DAILY;INTERVAL=3", "12:00", any, { gapDays: 3 })],
  ["every 2 weeks", rec("FREQ=WEEKLY;INTERVAL=2", "09:00", wd(6), { gapDays: 14 })],
  ["weekly on Friday", rec("FREQ=WEEKLY;BYDAY=FR", "09:00", wd(5), { gapDays: 7 })],
  ["every 2 weeks on Tuesday and Friday", rec("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,FR", "09:00", wd(2, 5))],
  ["monthly on the 15th", rec("FREQ=MONTHLY;BYMONTHDAY=15", "09:00", (d) => d.day === 15)],
  ["every month on the 1st at 8am", rec("FREQ=MONTHLY;BYMONTHDAY=1", "08:00", (d) => d.day === 1)],
  ["the last Friday of every month", rec("FREQ=MONTHLY;BYDAY=-1FR", "09:00", (d) => d.dayOfWeek === 5 && d.day + 7 > d.daysInMonth)],
  ["the second Tuesday of each month", rec("FREQ=MONTHLY;BYDAY=2TU", "09:00", (d) => d.dayOfWeek === 2 && d.day > 7 && d.day <= 14)],
  ["on the last day of every month", rec("FREQ=MONTHLY;BYMONTHDAY=-1", "09:00", (d) => d.day === d.daysInMonth)],
  ["every year on 24 December", rec("FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24", "09:00", (d) => d.month === 12 && d.day === 24)],
  ["every 4 July", rec("FREQ=YEARLY;BYMONTH=7;BYMONTHDAY=4", "09:00", (d) => d.month === 7 && d.day === 4)],
  ["annually on March 1", rec("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", "09:00", (d) => d.month === 3 && d.day === 1)],
  ["every weekday at 9am 10 times", rec("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;COUNT=10", "09:00", wd(1, 2, 3, 4, 5))],
  ["every Monday 3 times", rec("FREQ=WEEKLY;BYDAY=MO;COUNT=3", "09:00", wd(1), { count: 3 })],
  ["daily for 2 occurrences", rec("FREQ=DAILY;COUNT=2", "09:00", any, { count: 2 })],
  ["every weekend at 10:30am", rec("FREQ=WEEKLY;BYDAY=SA,SU", "10:30", wd(6, 7))],
  ["every day starting 2026-06-01", rec("FREQ=DAILY", "09:00", any, { firstDate: "2026-06-01" })],
  ["hourly", { kind: "rec", rrule: "FREQ=HOURLY", gapHours: 1 }],
  ["at 9", err(/"at 9" is ambiguous: say 9am or 9pm/)],
  ["3/4", err(/"3\/4" is ambiguous \(day or month first\?\)/)],
  ["every blue moon", err(/Could not understand "every blue moon"/)],
  ["tomorrow tomorrow", err(/gives a second date/)],
  ["every Monday until 1 January 10 times", err(/either after a number of times or on a date, not both/)],
  ["10 times", err(/belong to a repeating phrase/)],
  ["30 February", err(/There is no day 30 in month 2/)],
  ["in 2 hours at 5pm", err(/cannot both apply/)],
  ["every day 24 December", err(/is ambiguous: to start the series then, say "starting 24 december"/)],
  ["   ", err(/The phrase is empty/)],
  ["tomorrow at 25:00", err(/is not a time of day/)],
  ["13pm", err(/is not a time on a 12-hour clock/)],
  ["next week", err(/Could not understand "next week"/)],
  ["every day until the cows come home", err(/"until" needs a date after it/)],
];

const refOf = (zone: Zone) => Temporal.PlainDateTime.from(zones[zone]).toZonedDateTime(zone);
const localTime = (z: Temporal.ZonedDateTime): string => z.toPlainTime().toString({ smallestUnit: "minute" });

function check(phrase: string, expect: Expect, zone: Zone): void {
  const ref = refOf(zone);
  const now = ref.toInstant();
  if (expect.kind === "err") {
    assert.throws(
      () => interpretPhrase(phrase, zone, { now }),
      (e: unknown) => e instanceof PhraseError && expect.message.test(e.message) && /Accepted forms: /.test(e.message),
    );
    return;
  }
  const r: PhraseResult = interpretPhrase(phrase, zone, { now });
  assert.equal(r.timeZone, zone);
  const due = Temporal.Instant.from(r.dueAt).toZonedDateTimeISO(zone);
  if (expect.kind === "after") {
    assert.equal(r.kind, "once");
    assert.equal(Temporal.Instant.from(r.dueAt).epochMilliseconds - now.epochMilliseconds, expect.minutes * 60_000);
    return;
  }
  if (expect.kind === "once") {
    assert.equal(r.kind, "once");
    const day = expect.date ? Temporal.PlainDate.from(expect.date) : ref.toPlainDate().add(expect.offset ?? { days: expect.days ?? 0 });
    assert.equal(due.toPlainDate().toString(), day.toString(), `date of ${r.local}`);
    assert.equal(localTime(due), expect.time, `time of ${r.local}`);
    return;
  }
  assert.equal(r.kind, "recurring");
  if (r.kind !== "recurring") return;
  const rule = typeof expect.rrule === "function" ? expect.rrule(zone) : expect.rrule;
  assert.equal(r.rrule, `RRULE:${rule}`);
  assert.equal(r.recurrence, rule);
  assert.equal(r.next.length, expect.count ?? 5);
  assert.equal(r.next[0]!.at, r.dueAt);
  const occ = r.next.map((n) => Temporal.Instant.from(n.at).toZonedDateTimeISO(zone));
  assert.ok(Temporal.Instant.compare(occ[0]!.toInstant(), now) > 0, "the first occurrence is after now");
  for (let i = 1; i < occ.length; i++) {
    assert.ok(Temporal.ZonedDateTime.compare(occ[i - 1]!, occ[i]!) < 0, "increasing");
    if (expect.gapDays) assert.equal(occ[i - 1]!.toPlainDate().until(occ[i]!.toPlainDate()).days, expect.gapDays);
    if (expect.gapHours) assert.equal(occ[i]!.epochMilliseconds - occ[i - 1]!.epochMilliseconds, expect.gapHours * 3_600_000);
  }
  for (const o of occ) {
    if (expect.time) assert.equal(localTime(o), expect.time, `local time of ${o.toString()}`);
    if (expect.match) assert.ok(expect.match(o.toPlainDate()), `${o.toPlainDate().toString()} fits ${phrase}`);
  }
  if (expect.firstDate) assert.equal(occ[0]!.toPlainDate().toString(), expect.firstDate);
  else if (expect.match && expect.time) {
    // The first occurrence is the earliest matching day-and-time after now.
    for (let d = ref.toPlainDate(); Temporal.PlainDate.compare(d, occ[0]!.toPlainDate()) < 0; d = d.add({ days: 1 })) {
      const at = d.toPlainDateTime(Temporal.PlainTime.from(expect.time)).toZonedDateTime(zone);
      assert.ok(!(expect.match(d) && Temporal.ZonedDateTime.compare(at, ref) > 0), `${d.toString()} would have been earlier`);
    }
  }
}

describe("phrase table", () => {
  assert.ok(table.length >= 60, `${table.length} phrases`);
  for (const zone of Object.keys(zones) as Zone[]) {
    test(`${table.length} phrases in ${zone} (from ${zones[zone]}, the eve of its DST change)`, () => {
      const failures: string[] = [];
      for (const [phrase, expect] of table) {
        try {
          check(phrase, expect, zone);
        } catch (e) {
          failures.push(`${phrase}: ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
        }
      }
      assert.deepEqual(failures, []);
    });
  }
});

describe("DST days", () => {
  test("tomorrow 5pm is on the DST day: same local time, the new UTC offset", () => {
    const offsets: Record<Zone, [string, string]> = {
      "Europe/London": ["+00:00", "+01:00"],
      "America/New_York": ["-05:00", "-04:00"],
      "Australia/Sydney": ["+11:00", "+10:00"],
    };
    for (const zone of Object.keys(zones) as Zone[]) {
      const r = interpretPhrase("tomorrow 5pm", zone, { now: refOf(zone).toInstant() });
      assert.equal(refOf(zone).offset, offsets[zone][0]);
      assert.equal(Temporal.Instant.from(r.dueAt).toZonedDateTimeISO(zone).offset, offsets[zone][1], zone);
    }
  });

  test("a time in the spring-forward gap moves forward, with a note; a time in the fall-back fold takes the first, with a note", () => {
    const ny = interpretPhrase("tomorrow 2:30am", "America/New_York", { now: refOf("America/New_York").toInstant() });
    assert.equal(ny.dueAt, "2026-03-08T07:30:00Z"); // 03:30 EDT
    assert.match(ny.notes.join(" "), /does not exist in America\/New_York/);
    const london = interpretPhrase("tomorrow 1:30am", "Europe/London", { now: refOf("Europe/London").toInstant() });
    assert.equal(london.dueAt, "2026-03-29T01:30:00Z"); // 02:30 BST
    assert.match(london.notes.join(" "), /does not exist in Europe\/London/);
    const sydney = interpretPhrase("tomorrow 2:30am", "Australia/Sydney", { now: refOf("Australia/Sydney").toInstant() });
    assert.equal(sydney.dueAt, "2026-04-04T15:30:00Z"); // 02:30 AEDT, the first of the two
    assert.match(sydney.notes.join(" "), /happens twice in Australia\/Sydney/);
  });

  test("a daily series keeps 09:00 local across the change; its UTC time moves by the hour", () => {
    const r = interpretPhrase("every day at 9am", "Europe/London", { now: refOf("Europe/London").toInstant() });
    assert.equal(r.kind, "recurring");
    if (r.kind !== "recurring") return;
    assert.deepEqual(
      r.next.slice(0, 2).map((n) => n.at),
      ["2026-03-29T08:00:00Z", "2026-03-30T08:00:00Z"],
    );
    const before = interpretPhrase("every day at 9am", "Europe/London", { now: Temporal.Instant.from("2026-03-27T10:00:00Z") });
    assert.equal(before.dueAt, "2026-03-28T09:00:00Z");
  });

  test("notes: months without a 31st are skipped; 29 February only in leap years", () => {
    const now = refOf("Europe/London").toInstant();
    assert.match(
      interpretPhrase("on the 31st of each month", "Europe/London", { now }).notes.join(" "),
      /Months without a day 31 are skipped/,
    );
    assert.match(interpretPhrase("every year on 29 February", "Europe/London", { now }).notes.join(" "), /only in leap years/);
  });
});
