/**
 * Property-based HTTP fuzz of the notifications API (issue 21): fast-check requests for every route under
 * /api/v1/notifications as two users and anonymously — hostile ids, cursors, preferences, push
 * subscriptions, methods — against real PostgreSQL. No response is a 5xx, and none to one user carries
 * the other's notifications, preferences or subscriptions.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { createDatabase, createLogger, createRegistry, migrateLatest, type Knex } from "@tasks/shared";
import { createTestDatabase, fuzzPublicRoutes, signTestToken, testAppToken, testJwtKey, type TestDatabase } from "@tasks/shared/testing";
import type { Express } from "express";
import { basePath, createNotificationsApp, migrations } from "../src/index.js";
import { listQuerySchema, preferencesPatchSchema } from "../src/api/schemas.js";

let tdb: TestDatabase;
let db: Knex;
let app: Express;
before(async () => {
  tdb = await createTestDatabase("notif_fuzz");
  db = createDatabase({ connectionString: tdb.url, poolMax: 4 });
  await migrateLatest(db, migrations);
  app = createNotificationsApp({
    db,
    logger: createLogger({ service: "notifications", level: "silent" }),
    registry: createRegistry("notifications"),
    sidecar: { daprHttpUrl: "http://127.0.0.1:9" },
    auth: { hs256Key: testJwtKey },
    daprAppToken: testAppToken,
    email: { send: async () => assert.fail("no email in the fuzz"), close: () => undefined },
    push: { publicKey: "B".repeat(87), send: async () => assert.fail("no push in the fuzz") },
  }).app;
});
after(async () => {
  await db.destroy();
  await tdb.drop();
});

test("fuzz: every public route, two users: no 5xx, no cross-user read", { timeout: 600_000 }, async (t) => {
  const users = { a: `fuzz-a-${randomUUID()}`, b: `fuzz-b-${randomUUID()}` };
  const markers = { a: [`secret-a-${randomUUID()}`], b: [`secret-b-${randomUUID()}`] };
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
  const report = await fuzzPublicRoutes(
    {
      app,
      publicPaths: [basePath],
      users: {
        a: { token: await signTestToken(users.a), markers: markers.a },
        b: { token: await signTestToken(users.b), markers: markers.b },
      },
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
    },
    Number(process.env.FUZZ_RUNS ?? 2000),
  );
  const summary = `notifications fuzz: ${report.requests} requests over ${report.routes.length} routes, statuses ${JSON.stringify(report.byStatus)}`;
  t.diagnostic(summary);
  console.log(summary);
  assert.equal(report.routes.length, 12, report.routes.join(", ")); // 9 + the OpenAPI document + snooze + the push key
});
