/** Quiet hours in the user's zone, run once per machine TZ (scripts/test.ts). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Temporal } from "@js-temporal/polyfill";
import { quietHoursEnd } from "../src/quiet-hours.js";

const at = (iso: string) => Temporal.Instant.from(iso);
const end = (iso: string, start: string, stop: string, timeZone: string) =>
  quietHoursEnd(at(iso), { start, end: stop, timeZone })?.toString() ?? null;

describe(`quietHoursEnd (TZ=${process.env.TZ ?? "unset"})`, () => {
  test("an overnight window: before midnight ends tomorrow, after midnight ends today, outside is null", () => {
    assert.equal(end("2025-06-03T03:30:00Z", "22:00", "07:30", "America/New_York"), "2025-06-03T11:30:00Z"); // 23:30 EDT
    assert.equal(end("2025-06-03T08:00:00Z", "22:00", "07:30", "America/New_York"), "2025-06-03T11:30:00Z"); // 04:00 EDT
    assert.equal(end("2025-06-03T12:00:00Z", "22:00", "07:30", "America/New_York"), null); // 08:00 EDT
    assert.equal(end("2025-06-03T11:30:00Z", "22:00", "07:30", "America/New_York"), null); // end is exclusive
    assert.equal(end("2025-06-03T02:00:00Z", "22:00", "07:30", "America/New_York"), "2025-06-03T11:30:00Z"); // start is inclusive
  });

  test("a daytime window", () => {
    assert.equal(end("2025-06-02T12:00:00Z", "12:00", "14:00", "Asia/Kolkata"), null); // 17:30 IST
    assert.equal(end("2025-06-02T07:00:00Z", "12:00", "14:00", "Asia/Kolkata"), "2025-06-02T08:30:00Z"); // 12:30 IST → 14:00 IST
  });

  test("start == end means no quiet hours", () => {
    assert.equal(end("2025-06-02T07:00:00Z", "09:00", "09:00", "UTC"), null);
  });

  test("a window spanning the spring-forward gap ends at the right instant (Europe/London)", () => {
    // 30 March 2025: 01:00 GMT → 02:00 BST. 23:30 GMT on the 29th, window 23:00–07:00 → 07:00 BST = 06:00Z.
    assert.equal(end("2025-03-29T23:30:00Z", "23:00", "07:00", "Europe/London"), "2025-03-30T06:00:00Z");
  });

  test("an end time inside a DST gap is read with the offset before the gap (Lord Howe, 30-minute shift)", () => {
    // 5 October 2025 02:00 → 02:30 (+10:30 → +11). Window 22:00–02:15; 02:15 does not exist → 02:45 +11 = 15:45Z.
    assert.equal(end("2025-10-04T12:00:00Z", "22:00", "02:15", "Australia/Lord_Howe"), "2025-10-04T15:45:00Z"); // 22:30 +10:30
  });

  test("the fall-back repeated hour: still quiet during the second 01:30, ending at 02:00 of the new offset", () => {
    // 2 November 2025 NY: 02:00 EDT → 01:00 EST. Window 00:00–02:00. At 01:30 EST (06:30Z) → ends 02:00 EST = 07:00Z.
    assert.equal(end("2025-11-02T06:30:00Z", "00:00", "02:00", "America/New_York"), "2025-11-02T07:00:00Z");
  });
});
