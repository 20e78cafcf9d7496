/**
 * End to end without a broker: tasks-api writes events to its outbox, its relay publishes them to a
 * stand-in sidecar, and each published CloudEvent is delivered to audit's subscription route the
 * way Dapr would (application/cloudevents+json). Then each user reads only their own history.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { daprComponents, subscriptionRoute } from "@tasks/catalog";
import { createLogger, type TaskSnapshot } from "@tasks/shared";
import {
  createMigratedTestDatabase,
  request,
  signTestToken,
  startFakeSidecar,
  testAppDeps,
  type FakeSidecar,
  type MigratedTestDatabase,
  daprHeaders,
} from "@tasks/shared/testing";
import { createTasksApp, migrations as tasksMigrations, OutboxRelay } from "@tasks/tasks-api";
import type { Express } from "express";
import { migrations as auditMigrations } from "../migrations/index.js";
import { createAuditApp } from "../src/app.js";

const logger = createLogger({ service: "test", level: "silent" });
let tasksDb: MigratedTestDatabase;
let auditDb: MigratedTestDatabase;
let sidecar: FakeSidecar;
let tasks: Express;
let audit: Express;
let relay: OutboxRelay;

before(async () => {
  tasksDb = await createMigratedTestDatabase("tasks", tasksMigrations, { poolMin: 0, poolMax: 4 });
  auditDb = await createMigratedTestDatabase("audit", auditMigrations, { poolMin: 0, poolMax: 4 });
  sidecar = await startFakeSidecar();
  relay = new OutboxRelay({ db: tasksDb.knex, logger, publisher: { daprHttpUrl: sidecar.url, pubsubName: daprComponents.pubsub } });
  tasks = createTasksApp({ db: tasksDb.knex, ...testAppDeps("tasks-api"), logger }).app;
  audit = createAuditApp({ db: auditDb.knex, ...testAppDeps("audit"), logger }).app;
});
after(async () => {
  await sidecar.close();
  await tasksDb?.close();
  await auditDb?.close();
});

async function relayToAudit(): Promise<void> {
  while ((await relay.runOnce()).claimed > 0);
  for (const p of sidecar.publishes.splice(0)) {
    // Dapr adds its own attributes on delivery.
    const delivered = { ...(p.body as object), topic: p.topic, pubsubname: p.pubsub };
    const res = await request(audit, {
      method: "POST",
      url: subscriptionRoute(p.topic),
      body: JSON.stringify(delivered),
      headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
    });
    assert.deepEqual(res.body, { status: "SUCCESS" });
  }
}

test("every task operation lands in the owner's audit history; another user sees none of it", async () => {
  const alice = await signTestToken("alice");
  const bob = await signTestToken("bob");
  const t = (
    await request(tasks, { method: "POST", url: "/api/v1/tasks", token: alice, body: { title: "Audit me" } })
  ).json<TaskSnapshot>();
  await request(tasks, { method: "PATCH", url: `/api/v1/tasks/${t.id}`, token: alice, body: { priority: "high" } });
  await request(tasks, { method: "POST", url: `/api/v1/tasks/${t.id}/complete`, token: alice });
  // Bob's attempts are 404s in the tasks API and leave no trace.
  assert.equal((await request(tasks, { method: "DELETE", url: `/api/v1/tasks/${t.id}`, token: bob })).status, 404);
  await request(tasks, { method: "DELETE", url: `/api/v1/tasks/${t.id}`, token: alice });
  await relayToAudit();
  // Redelivery of everything (e.g. after a relay crash) changes nothing.
  await tasksDb.knex.raw("update outbox set sent_at = null");
  await relayToAudit();

  const mine = (await request(audit, { url: `/api/v1/audit?taskId=${t.id}`, token: alice })).json<{
    items: { action: string; actor: string }[];
  }>();
  assert.deepEqual(
    mine.items.map((e) => [e.action, e.actor]),
    [
      ["deleted", "alice"],
      ["completed", "alice"],
      ["updated", "alice"],
      ["created", "alice"],
    ],
  );
  const theirs = (await request(audit, { url: `/api/v1/audit?taskId=${t.id}`, token: bob })).json<{ items: unknown[] }>();
  assert.deepEqual(theirs.items, []);
  assert.deepEqual((await request(audit, { url: "/api/v1/audit", token: bob })).json<{ items: unknown[] }>().items, []);
});

interface AuditItem {
  action: string;
  actor: string;
  taskId: string | null;
  before: TaskSnapshot | null;
  after: TaskSnapshot | null;
}
const history = async (token: string, qs: string) =>
  (await request(audit, { url: `/api/v1/audit?${qs}`, token })).json<{ items: AuditItem[] }>().items;

test("completing and skipping record the task as it was before (open) and after", async () => {
  const carol = await signTestToken("carol");
  const t = (
    await request(tasks, { method: "POST", url: "/api/v1/tasks", token: carol, body: { title: "Before and after" } })
  ).json<TaskSnapshot>();
  const done = (await request(tasks, { method: "POST", url: `/api/v1/tasks/${t.id}/complete`, token: carol })).json<TaskSnapshot>();
  const body = { title: "Daily", dueAt: "2031-03-02T08:00:00Z", timeZone: "UTC", recurrence: "FREQ=DAILY" };
  const r = (await request(tasks, { method: "POST", url: "/api/v1/tasks", token: carol, body })).json<TaskSnapshot>();
  const skipped = (await request(tasks, { method: "POST", url: `/api/v1/tasks/${r.id}/skip`, token: carol })).json<TaskSnapshot>();
  await relayToAudit();
  const [completed] = await history(carol, `taskId=${t.id}&action=completed`);
  assert.deepEqual([completed!.before, completed!.after], [t, done]);
  const [skip] = await history(carol, `taskId=${r.id}&action=skipped`);
  assert.deepEqual([skip!.before, skip!.after], [r, skipped]);
});

test("ending a series with no open occurrence is in the audit history: its latest occurrence lost its rule", async () => {
  const dora = await signTestToken("dora");
  const body = { title: "Weekly", dueAt: "2031-03-02T08:00:00Z", timeZone: "UTC", recurrence: "FREQ=WEEKLY" };
  const r = (await request(tasks, { method: "POST", url: "/api/v1/tasks", token: dora, body })).json<TaskSnapshot>();
  await request(tasks, { method: "POST", url: `/api/v1/tasks/${r.id}/complete`, token: dora });
  const end = await request(tasks, { method: "POST", url: `/api/v1/tasks/${r.id}/series/end`, token: dora, body: { open: "keep" } });
  assert.equal(end.status, 200, end.text);
  await relayToAudit();
  const items = await history(dora, `taskId=${r.id}`);
  assert.deepEqual(
    items.map((e) => [e.action, e.actor, e.before?.recurrence, e.after?.recurrence]),
    [
      ["updated", "dora", "FREQ=WEEKLY", null],
      ["completed", "dora", "FREQ=WEEKLY", "FREQ=WEEKLY"],
      ["created", "dora", undefined, "FREQ=WEEKLY"],
    ],
  );
});

test("creating and revoking a calendar feed lands in the owner's audit history, without the token", async () => {
  const erin = await signTestToken("erin");
  const created = await request(tasks, { method: "POST", url: "/api/v1/calendar-feeds", token: erin, body: { name: "Erin's" } });
  assert.equal(created.status, 201, created.text);
  const feed = created.json<{ id: string; token: string; createdAt: string }>();
  assert.equal((await request(tasks, { method: "DELETE", url: `/api/v1/calendar-feeds/${feed.id}`, token: erin })).status, 204);
  await relayToAudit();
  const items = await history(erin, `feedId=${feed.id}`);
  const snapshot = { id: feed.id, userId: "erin", name: "Erin's", createdAt: feed.createdAt };
  assert.deepEqual(
    items.map((e) => [e.action, e.actor, e.taskId, e.before, e.after]),
    [
      ["feed-revoked", "erin", null, snapshot, null],
      ["feed-created", "erin", null, null, snapshot],
    ],
  );
  assert.ok(!JSON.stringify(items).includes(feed.token.slice(4)), "the token reached the audit history");
  assert.deepEqual(await history(await signTestToken("bob"), `feedId=${feed.id}`), []);
});
