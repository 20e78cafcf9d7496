/**
 * Property-based HTTP fuzz of the audit API (issue 21): fast-check requests for GET /api/v1/audit as two
 * users and anonymously — hostile task ids, dates, cursors, limits, methods — against real PostgreSQL.
 * No response is a 5xx, and none to one user carries the other's audit trail.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { subscriptionRoute, topics } from "@tasks/catalog";
import { daprHeaders, fuzzAsUserPair, fuzzUserPair, request, sampleTask, sampleTaskEvent } from "@tasks/shared/testing";
import { auditBase } from "../src/app.js";
import { auditQuerySchema } from "../src/query.js";
import { startAuditTestApp, type AuditTestApp } from "./support/app.js";

let audit: AuditTestApp;
before(async () => {
  audit = await startAuditTestApp("audit_fuzz");
});
after(() => audit.close());

test("fuzz: GET /api/v1/audit, two users: no 5xx, no cross-user read", { timeout: 600_000 }, async (t) => {
  const pair = fuzzUserPair();
  const { users, markers } = pair;
  const ids: string[] = [];
  for (const who of ["a", "b"] as const) {
    for (let i = 0; i < 4; i++) {
      const task = sampleTask({ userId: users[who], title: `${markers[who][0]} ${i}` });
      ids.push(task.id);
      const event = sampleTaskEvent(i % 2 ? "taskCompleted" : "taskCreated", { actor: users[who], task });
      const res = await request(audit.app, {
        method: "POST",
        url: subscriptionRoute(i % 2 ? topics.taskCompleted.name : topics.taskCreated.name),
        body: event,
        headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
      });
      assert.deepEqual(res.body, { status: "SUCCESS" });
    }
  }
  const report = await fuzzAsUserPair(t, "audit", pair, {
    app: audit.app,
    publicPaths: [auditBase],
    ids,
    queryNames: Object.keys(auditQuerySchema.shape),
    bodyFields: {},
  });
  assert.deepEqual(report.routes, ["GET /api/v1/audit", "GET /api/v1/audit/openapi.json"]);
});
