/** URGENT_REMINDER_MINUTES: the escalating series of urgent tasks, checked at start-up. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { envSchema } from "../src/config.js";

const parse = (value: string | undefined) => envSchema.shape.URGENT_REMINDER_MINUTES.safeParse(value);

test("URGENT_REMINDER_MINUTES: default 60,30,10,0; sorted, deduplicated; empty = off; bad values refused", () => {
  assert.deepEqual(parse(undefined).data, [60, 30, 10, 0]);
  assert.deepEqual(parse(" 5, 120,5 ,0").data, [120, 5, 0]);
  assert.deepEqual(parse("").data, []);
  for (const bad of ["361", "-1", "1.5", "10,,5", "x", Array.from({ length: 11 }, (_, i) => i).join(",")]) {
    const r = parse(bad);
    assert.equal(r.success, false, bad);
    assert.match(r.error!.issues[0]!.message, /whole minutes between 0 and 360/);
  }
});
