/**
 * Property-based HTTP fuzz of the notifications API (issue 21): fast-check requests for every route under
 * /api/v1/notifications as two users and anonymously — hostile ids, cursors, preferences, push
 * subscriptions, methods — against real PostgreSQL. No response is a 5xx, and none to one user carries
 * the other's notifications, preferences or subscriptions.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { fuzzAsUserPair, fuzzUserPair } from "@tasks/shared/testing";
import { basePath } from "../src/index.js";
import { listQuerySchema, preferencesPatchSchema } from "../src/api/schemas.js";
import { startNotificationsTestApp, type NotificationsTestApp } from "./support/app.js";

let notifications: NotificationsTestApp;
before(async () => {
  notifications = await startNotificationsTestApp("notif_fuzz");
});
after(() => notifications.close());

test("fuzz: every public route, two users: no 5xx, no cross-user read", { timeout: 600_000 }, async (t) => {
  const pair = fuzzUserPair();
  const { users, markers } = pair;
  const { db } = notifications;
  const ids: string[] = [];
  for (const who of ["a", "b"] as const) {
    for (let i = 0; i < 4; i++) {
      const id = randomUUID();
      ids.push(id);
      await db("notifications").insert({ id, user_id: users[who], title: `${markers[who][0]} ${i}`, body: `body ${markers[who][0]}` });
    }
    const sub = randomUUID();
    ids.push(sub);
    await db("push_subscriptions").insert({
      id: sub,
      user_id: users[who],
      endpoint: `https://push.example/${markers[who][0]}`,
      p256dh: "B".repeat(87),
      auth: "A".repeat(22),
    });
  }
  const report = await fuzzAsUserPair(t, "notifications", pair, {
    app: notifications.app,
    publicPaths: [basePath],
    ids,
    queryNames: Object.keys(listQuerySchema.shape),
    bodyFields: {
      ...Object.fromEntries(Object.keys(preferencesPatchSchema.shape).map((k) => [k, []])),
      channels: [{ email: true }, { push: false }],
      quietHours: [{ start: "22:00", end: "07:00" }, null],
      timeZone: ["Europe/Paris", "Mars/Olympus"],
      defaultReminderMinutes: [15, null, 40_321],
      email: ["a@example.com", null],
      endpoint: ["https://push.example/x", "http://insecure.example"],
      keys: [{ p256dh: "B".repeat(87), auth: "A".repeat(22) }],
    },
  });
  assert.equal(report.routes.length, 12, report.routes.join(", ")); // 9 + the OpenAPI document + snooze + the push key
});
