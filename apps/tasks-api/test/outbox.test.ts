import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { daprComponents, topics } from "@tasks/catalog";
import { createLogger, createRegistry, outboxMetrics, publisherMetrics, taskEventSchema, type TaskSnapshot } from "@tasks/shared";
import { startFakeSidecar, type FakeSidecar } from "@tasks/shared/testing";
import { OutboxRelay, type RelayOptions } from "../src/outbox.js";
import { startHarness, type Harness } from "./harness.js";

let h: Harness;
let sidecar: FakeSidecar;
const logger = createLogger({ service: "tasks-api", level: "silent" });
before(async () => {
  h = await startHarness();
  sidecar = await startFakeSidecar();
});
after(async () => {
  await sidecar.close();
  await h.close();
});
beforeEach(async () => {
  // Each test starts with an empty outbox and a healthy sidecar.
  await h.knex("outbox").delete();
  sidecar.publishes.length = 0;
  sidecar.publishStatus = null;
});

const base = "/api/v1/tasks";
const relay = (extra: Partial<RelayOptions> = {}) =>
  new OutboxRelay({
    db: h.knex,
    logger,
    publisher: { daprHttpUrl: sidecar.url, pubsubName: daprComponents.pubsub },
    baseBackoffMs: 1,
    maxBackoffMs: 1,
    ...extra,
  });
const unsent = async () => Number((await h.knex("outbox").whereNull("sent_at").count<{ count: string }[]>("* as count"))[0]!.count);

describe("outbox → Dapr publish", () => {
  test("each change writes one event in its transaction; the relay publishes CloudEvents to the sidecar", async () => {
    const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    const headers = { traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
    const created = (
      await h.as("alice", { method: "POST", url: base, body: { title: "Ship it", tags: ["release"] }, headers })
    ).json<TaskSnapshot>();
    const updated = (
      await h.as("alice", { method: "PATCH", url: `${base}/${created.id}`, body: { priority: "urgent" } })
    ).json<TaskSnapshot>();
    const completed = (await h.as("alice", { method: "POST", url: `${base}/${created.id}/complete` })).json<TaskSnapshot>();
    await h.as("alice", { method: "DELETE", url: `${base}/${created.id}` });
    assert.equal(await unsent(), 4);
    const ids = (await h.knex("outbox").orderBy("id").select("event_id")).map((r: { event_id: string }) => r.event_id);

    // One event per task per batch keeps per-task order: four runs publish the four events in order.
    const r = relay();
    for (let i = 0; i < 4; i++) assert.deepEqual(await r.runOnce(), { claimed: 1, published: 1, failed: 0 });
    assert.deepEqual(await r.runOnce(), { claimed: 0, published: 0, failed: 0 });
    assert.equal(await unsent(), 0);

    const pubs = sidecar.publishes;
    assert.deepEqual(
      pubs.map((p) => [p.pubsub, p.topic, p.contentType]),
      [
        [daprComponents.pubsub, topics.taskCreated.name, "application/cloudevents+json"],
        [daprComponents.pubsub, topics.taskUpdated.name, "application/cloudevents+json"],
        [daprComponents.pubsub, topics.taskCompleted.name, "application/cloudevents+json"],
        [daprComponents.pubsub, topics.taskDeleted.name, "application/cloudevents+json"],
      ],
    );
    const [c, u, done, del] = pubs.map((p) => p.body as Record<string, unknown>);
    assert.deepEqual(
      pubs.map((p) => (p.body as { id: string }).id),
      ids,
      "CloudEvent id = outbox event id",
    );
    assert.deepEqual(
      {
        specversion: c!.specversion,
        type: c!.type,
        source: c!.source,
        subject: c!.subject,
        datacontenttype: c!.datacontenttype,
        data: c!.data,
      },
      {
        specversion: "1.0",
        type: "com.tasks.task.created",
        source: "tasks-api",
        subject: created.id,
        datacontenttype: "application/json",
        data: { actor: "alice", task: created },
      },
    );
    assert.match(String(c!.traceparent), new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`), "the request's trace continues in the event");
    assert.ok(Math.abs(Date.parse(String(c!.time)) - Date.parse(created.createdAt)) < 1000);
    assert.deepEqual(u!.data, { actor: "alice", task: updated, before: created, after: updated, changed: ["priority"] });
    // task.completed carries the open task it closed (the audit's `before`).
    assert.deepEqual(done!.data, { actor: "alice", task: completed, before: updated });
    assert.deepEqual(del!.data, { actor: "alice", task: completed });
    // Every published event satisfies the shared schema consumers validate with.
    assert.equal(taskEventSchema("taskCreated").safeParse(c).success, true);
    assert.equal(taskEventSchema("taskUpdated").safeParse(u).success, true);
    assert.equal(taskEventSchema("taskCompleted").safeParse(done).success, true);
    assert.equal(taskEventSchema("taskDeleted").safeParse(del).success, true);
  });

  test("a failed change writes no event (same transaction)", async () => {
    const t = (await h.as("alice", { method: "POST", url: base, body: { title: "x" } })).json<TaskSnapshot>();
    await h.knex("outbox").delete();
    assert.equal((await h.as("alice", { method: "PATCH", url: `${base}/${t.id}`, body: { dueAt: "2030-01-01T00:00:00Z" } })).status, 400);
    assert.equal((await h.as("bob", { method: "POST", url: `${base}/${t.id}/complete` })).status, 404);
    assert.equal(await unsent(), 0);
  });

  test("a failing publish is retried with backoff and delivered later, with the same CloudEvent id", async () => {
    const registry = createRegistry("tasks-api");
    const metrics = outboxMetrics(registry);
    const r = new OutboxRelay({
      db: h.knex,
      logger,
      metrics,
      publisher: { daprHttpUrl: sidecar.url, pubsubName: daprComponents.pubsub, metrics: publisherMetrics(registry) },
      baseBackoffMs: 200,
      maxBackoffMs: 200,
    });
    const t = (await h.as("alice", { method: "POST", url: base, body: { title: "Retry me" } })).json<TaskSnapshot>();
    sidecar.publishStatus = 500;
    assert.deepEqual(await r.runOnce(), { claimed: 1, published: 0, failed: 1 });
    const row = await h.knex("outbox").first();
    assert.equal(row.attempts, 1);
    assert.equal(row.sent_at, null);
    assert.match(row.last_error, /HTTP 500/);
    assert.ok(row.next_attempt_at.getTime() > Date.now(), "backoff pushes the next attempt into the future");
    assert.deepEqual(await r.runOnce(), { claimed: 0, published: 0, failed: 0 }, "not retried before the backoff elapses");
    sidecar.publishStatus = null;
    await new Promise((res) => setTimeout(res, 300));
    assert.deepEqual(await r.runOnce(), { claimed: 1, published: 1, failed: 0 });
    const sent = await h.knex("outbox").first();
    assert.ok(sent.sent_at instanceof Date);
    assert.equal((sidecar.publishes[0]!.body as { id: string }).id, row.event_id);
    assert.equal((sidecar.publishes[0]!.body as { subject: string }).subject, t.id);
    const text = await registry.metrics();
    assert.match(text, /events_failed_total\{topic="task.created",stage="publish",service="tasks-api"\} 1/);
    assert.match(text, /events_published_total\{topic="task.created",service="tasks-api"\} 1/);
  });

  test("crash after commit: events written while no relay runs are delivered by a later relay", async () => {
    for (let i = 0; i < 3; i++) await h.as("alice", { method: "POST", url: base, body: { title: `offline ${i}` } });
    assert.equal(await unsent(), 3);
    assert.deepEqual(await relay().runOnce(), { claimed: 3, published: 3, failed: 0 });
    assert.deepEqual(sidecar.publishes.map((p) => (p.body as { data: { task: { title: string } } }).data.task.title).sort(), [
      "offline 0",
      "offline 1",
      "offline 2",
    ]);
  });

  test("crash after publish, before marking sent: the event is published again with the same id (consumers dedupe)", async () => {
    await h.as("alice", { method: "POST", url: base, body: { title: "twice" } });
    // The publish reaches the sidecar, then the relay loses the answer (as if it died before its commit).
    const lossy: typeof fetch = async (input, init) => {
      await fetch(input, init);
      throw new Error("connection reset");
    };
    assert.deepEqual(await relay({ publisher: { daprHttpUrl: sidecar.url, pubsubName: daprComponents.pubsub, fetch: lossy } }).runOnce(), {
      claimed: 1,
      published: 0,
      failed: 1,
    });
    await new Promise((res) => setTimeout(res, 5));
    assert.deepEqual(await relay().runOnce(), { claimed: 1, published: 1, failed: 0 });
    const [first, second] = sidecar.publishes.map((p) => p.body as { id: string });
    assert.ok(first && second);
    assert.equal(first.id, second.id);
  });

  test("while a task's earlier event is undelivered, its later events wait; other tasks' events go on", async () => {
    const a = (await h.as("alice", { method: "POST", url: base, body: { title: "A" } })).json<TaskSnapshot>();
    await h.as("alice", { method: "PATCH", url: `${base}/${a.id}`, body: { title: "A2" } });
    sidecar.publishStatus = 503;
    assert.deepEqual(await relay({ baseBackoffMs: 60_000, maxBackoffMs: 60_000 }).runOnce(), { claimed: 1, published: 0, failed: 1 });
    sidecar.publishStatus = null;
    await h.as("alice", { method: "POST", url: base, body: { title: "B" } });
    assert.deepEqual(await relay().runOnce(), { claimed: 1, published: 1, failed: 0 });
    assert.deepEqual(
      sidecar.publishes.map((p) => (p.body as { data: { task: { title: string } } }).data.task.title),
      ["B"],
      "A's update did not overtake A's create",
    );
  });

  test("the running relay is woken by commits and reports pending/lag gauges", async () => {
    const registry = createRegistry("tasks-api");
    const holder: { relay?: OutboxRelay } = {};
    const woken = await startHarness({ onEventsWritten: () => holder.relay?.notify() });
    const live = new OutboxRelay({
      db: woken.knex,
      logger,
      metrics: outboxMetrics(registry),
      publisher: { daprHttpUrl: sidecar.url, pubsubName: daprComponents.pubsub },
      pollMs: 60_000,
    });
    try {
      await woken.as("carol", { method: "POST", url: base, body: { title: "before start" } });
      await new Promise((res) => setTimeout(res, 20));
      await live.refreshMetrics();
      const gauges = await registry.metrics();
      assert.match(gauges, /outbox_pending_events\{service="tasks-api"\} 1\n/);
      assert.ok(Number(/outbox_lag_seconds\{service="tasks-api"\} ([\d.e-]+)/.exec(gauges)?.[1]) >= 0.01, gauges);
      live.start();
      await sidecar.waitForPublishes(1, 3000);
      holder.relay = live;
      // The poll interval is a minute: only the commit's notify can make this second publish prompt.
      const res = await woken.as("carol", { method: "POST", url: base, body: { title: "wake up" } });
      assert.equal(res.status, 201);
      const pubs = await sidecar.waitForPublishes(2, 3000);
      assert.equal((pubs[1]!.body as { data: { task: { title: string } } }).data.task.title, "wake up");
      await live.stop();
      await live.refreshMetrics();
      assert.match(await registry.metrics(), /outbox_pending_events\{service="tasks-api"\} 0\n/);
      assert.match(await registry.metrics(), /outbox_lag_seconds\{service="tasks-api"\} 0\n/);
    } finally {
      await live.stop();
      await woken.close();
    }
  });
});
