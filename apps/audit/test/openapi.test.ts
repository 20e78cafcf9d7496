/**
 * The audit OpenAPI document (issue 19 item 7): served without a token at the catalog's openapiPath,
 * lists exactly the routes Express serves under the public prefix, and its schemas describe the real
 * answer and the query the validator accepts (ajv against real requests).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { services, subscriptionRoute, topics } from "@tasks/catalog";
import { newCloudEvent } from "@tasks/shared";
import {
  compareOpenApiWithApp,
  componentValidator,
  daprHeaders,
  request,
  sampleTask,
  sampleTaskEvent,
  signTestToken,
} from "@tasks/shared/testing";
import type { Express } from "express";
import { auditBase } from "../src/index.js";
import { startAuditTestApp, type AuditTestApp } from "./support/app.js";

let audit: AuditTestApp;
let app: Express;
before(async () => {
  audit = await startAuditTestApp("audit_openapi");
  app = audit.app;
});
after(() => audit.close());

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, { parameters?: { name: string; schema: Record<string, unknown> }[] }>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};

test("the audit OpenAPI document: served openly, exactly the served routes, schemas that fit real answers and the validator", async () => {
  const res = await request(app, { url: services.audit.openapiPath });
  assert.equal(res.status, 200, res.text);
  const doc = res.json<Doc>();
  assert.equal(doc.openapi, "3.1.0");
  assert.deepEqual(await compareOpenApiWithApp(app, doc, [auditBase]), { undocumented: [], unserved: [], unreachable: [] });

  const task = sampleTask({ userId: "olga" });
  const ev = sampleTaskEvent("taskCreated", { actor: "olga", task });
  const delivered = await request(app, {
    method: "POST",
    url: subscriptionRoute(topics.taskCreated.name),
    body: JSON.stringify(ev),
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
  });
  assert.deepEqual(delivered.body, { status: "SUCCESS" });
  const page = await request(app, { url: `${auditBase}?action=created`, token: await signTestToken("olga") });
  assert.equal(page.status, 200);
  const valid = componentValidator(doc);
  assert.equal(valid("AuditPage", page.body), undefined);
  assert.equal((page.body as { items: unknown[] }).items.length, 1);
  // A calendar feed's entry fits the same schema (feedId set, taskId null, the feed as after).
  const feed = { id: randomUUID(), userId: "olga", name: "Tasks", createdAt: new Date().toISOString() };
  const feedEvent = newCloudEvent({
    topic: topics.calendarFeedChanged.name,
    source: "tasks-api",
    data: { actor: "olga", change: "created", feed },
  });
  const fed = await request(app, {
    method: "POST",
    url: subscriptionRoute(topics.calendarFeedChanged.name),
    body: JSON.stringify(feedEvent),
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
  });
  assert.deepEqual(fed.body, { status: "SUCCESS" });
  const feedPage = await request(app, { url: `${auditBase}?feedId=${feed.id}`, token: await signTestToken("olga") });
  assert.equal(valid("AuditPage", feedPage.body), undefined);
  assert.deepEqual(
    (feedPage.body as { items: { taskId: string | null; feedId: string | null }[] }).items.map((e) => [e.taskId, e.feedId]),
    [[null, feed.id]],
  );

  const params = doc.paths[auditBase]!.get!.parameters!;
  assert.deepEqual(params.map((p) => p.name).sort(), ["action", "cursor", "feedId", "from", "limit", "taskId", "to"]);
  const action = params.find((p) => p.name === "action")!.schema;
  assert.deepEqual(action.enum, ["created", "updated", "completed", "deleted", "reopened", "skipped", "feed-created", "feed-revoked"]);
  const bad = await request(app, { url: `${auditBase}?action=renamed`, token: await signTestToken("olga") });
  assert.equal(bad.status, 400);
  assert.equal(valid("Problem", bad.body), undefined);
});
