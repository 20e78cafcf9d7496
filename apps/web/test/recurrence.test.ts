import assert from "node:assert/strict";
import { test } from "node:test";
import { Temporal } from "@tasks/shared/recurrence/index";
import { nthWeekdayOf, presetOf, presetRule, preview, toInstant, toLocalInput } from "../client/recurrence.js";

const d = (s: string) => Temporal.PlainDate.from(s);

test("presets: weekdays, weekly on chosen days, monthly by date and by 'second Tuesday' / last weekday, yearly", () => {
  assert.equal(presetRule("weekdays", d("2026-12-08")), "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
  assert.equal(presetRule("weekly", d("2026-12-08"), ["MO", "TH"]), "FREQ=WEEKLY;BYDAY=MO,TH");
  assert.equal(presetRule("weekly", d("2026-12-08")), "FREQ=WEEKLY;BYDAY=TU");
  assert.equal(presetRule("monthly-date", d("2026-12-08")), "FREQ=MONTHLY;BYMONTHDAY=8");
  assert.equal(presetRule("monthly-nth", d("2026-12-08")), "FREQ=MONTHLY;BYDAY=2TU");
  assert.deepEqual(nthWeekdayOf(d("2026-12-29")), { n: -1, day: "TU" });
  assert.equal(presetRule("yearly", d("2026-12-08")), "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=8");
  assert.deepEqual(presetOf("FREQ=MONTHLY;BYDAY=2TU", d("2026-12-08")), { preset: "monthly-nth", days: [] });
  assert.deepEqual(presetOf("FREQ=WEEKLY;BYDAY=MO,TH", d("2026-12-08")), { preset: "weekly", days: ["MO", "TH"] });
  assert.deepEqual(presetOf("FREQ=DAILY;INTERVAL=3", d("2026-12-08")), { preset: "custom", days: [] });
});

test("preview: summary and the next five in the task's zone, keeping the local time across a DST change", () => {
  const due = toInstant("2027-03-26T09:00", "Europe/Paris");
  assert.equal(due, "2027-03-26T08:00:00Z");
  const p = preview("FREQ=DAILY", due, "Europe/Paris");
  assert.equal(p.summary, "Every day");
  assert.equal(p.next.length, 5);
  // 27 March CET, then CEST from the 28th: still 09:00 local.
  assert.ok(
    p.next.every((n) => /09:00/.test(n)),
    p.next.join(" | "),
  );
  assert.match(p.next[0]!, /Mar 27/);
  assert.equal(toLocalInput(due, "Europe/Paris"), "2027-03-26T09:00");
});

test("preview of a bad rule says why, and shows no dates", () => {
  const p = preview("FREQ=SOMETIMES", "2027-01-01T00:00:00Z", "UTC");
  assert.equal(p.next.length, 0);
  assert.ok(p.error && p.error.length > 0);
});
