/**
 * Property-based HTTP fuzz of the audit API (issue 21): fast-check requests for GET /api/v1/audit as two
 * users and anonymously — hostile task ids, dates, cursors, limits, methods — against real PostgreSQL.
 * No response is a 5xx, and none to one user carries the other's audit trail.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { subscriptionRoute, topics } from "@tasks/catalog";
import { createDatabase, createLogger, createRegistry, migrateLatest, type Knex } from "@tasks/shared";
import {
  createTestDatabase,
  daprHeaders,
  fuzzPublicRoutes,
  request,
  sampleTask,
  sampleTaskEvent,
  signTestToken,
  testAppToken,
  testJwtKey,
  type TestDatabase,
} from "@tasks/shared/testing";
import type { Express } from "express";
import { migrations } from "../migrations/index.js";
import { auditBase, createAuditApp } from "../src/app.js";
import { auditQuerySchema } from "../src/query.js";

let db: TestDatabase;
let knex: Knex;
let app: Express;
before(async () => {
  db = await createTestDatabase("audit_fuzz");
  knex = createDatabase({ connectionString: db.url, poolMin: 0, poolMax: 5 });
  await migrateLatest(knex, migrations);
  app = createAuditApp({
    db: knex,
    logger: createLogger({ service: "audit", level: "silent" }),
    registry: createRegistry("audit"),
    auth: { hs256Key: testJwtKey },
    daprAppToken: testAppToken,
  }).app;
});
after(async () => {
  await knex.destroy();
  await db.drop();
});

test("fuzz: GET /api/v1/audit, two users: no 5xx, no cross-user read", { timeout: 600_000 }, async (t) => {
  const users = { a: `fuzz-a-${randomUUID()}`, b: `fuzz-b-${randomUUID()}` };
  const markers = { a: [`secret-a-${randomUUID()}`], b: [`secret-b-${randomUUID()}`] };
  const ids: string[] = [];
  for (const who of ["a", "b"] as const) {
    for (let i = 0; i < 4; i++) {
      const task = sampleTask({ userId: users[who], title: `${markers[who][0]} ${i}` });
      ids.push(task.id);
      const event = sampleTaskEvent(i % 2 ? "taskCompleted" : "taskCreated", { actor: users[who], task });
      const res = await request(app, {
        method: "POST",
        url: subscriptionRoute(i % 2 ? topics.taskCompleted.name : topics.taskCreated.name),
        body: event,
        headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
      });
      assert.deepEqual(res.body, { status: "SUCCESS" });
    }
  }
  const report = await fuzzPublicRoutes(
    {
      app,
      publicPaths: [auditBase],
      users: {
        a: { token: await signTestToken(users.a), markers: markers.a },
        b: { token: await signTestToken(users.b), markers: markers.b },
      },
      ids,
      queryNames: Object.keys(auditQuerySchema.shape),
      bodyFields: {},
    },
    Number(process.env.FUZZ_RUNS ?? 2000),
  );
  const summary = `audit fuzz: ${report.requests} requests over ${report.routes.length} routes, statuses ${JSON.stringify(report.byStatus)}`;
  t.diagnostic(summary);
  console.log(summary);
  assert.deepEqual(report.routes, ["GET /api/v1/audit", "GET /api/v1/audit/openapi.json"]);
});
