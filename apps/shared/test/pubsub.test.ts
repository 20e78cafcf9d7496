import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import { serviceMetrics, subscriptionRoute, topics } from "@tasks/catalog";
import { createServiceApp } from "../src/app.js";
import { newCloudEvent } from "../src/events.js";
import { createLogger } from "../src/logging.js";
import { consumerMetrics, createRegistry, publisherMetrics } from "../src/metrics.js";
import { DropEvent, PublishError, publishCloudEvent, subscriptionRouter, type TaskEventHandlers } from "../src/pubsub.js";
import { startFakeSidecar, type FakeSidecar } from "../src/testing/fake-sidecar.js";
import { sampleTask, sampleTaskEvent } from "../src/testing/fixtures.js";
import { request } from "../src/testing/inject.js";
import { daprHeaders, testAppToken } from "../src/testing/index.js";

let sidecar: FakeSidecar;
before(async () => {
  sidecar = await startFakeSidecar();
});
after(() => sidecar.close());

const logger = createLogger({ service: "test", level: "silent" });

test("publishCloudEvent posts the CloudEvent as application/cloudevents+json to the sidecar", async () => {
  const registry = createRegistry("t");
  const metrics = publisherMetrics(registry);
  const ev = sampleTaskEvent("taskCreated", { actor: "u", task: sampleTask() });
  await publishCloudEvent({ daprHttpUrl: sidecar.url, pubsubName: "pubsub", metrics }, topics.taskCreated.name, ev);
  const [pub] = sidecar.publishes.slice(-1);
  assert.equal(pub?.pubsub, "pubsub");
  assert.equal(pub?.topic, "task.created");
  assert.equal(pub?.contentType, "application/cloudevents+json");
  assert.deepEqual(pub?.body, ev);
  assert.match(await registry.metrics(), /events_published_total\{topic="task.created",service="t"\} 1/);
});

test("publishCloudEvent throws PublishError and counts a failure when the sidecar refuses", async () => {
  const registry = createRegistry("t");
  sidecar.publishStatus = 500;
  try {
    const ev = sampleTaskEvent("taskDeleted", { actor: "u", task: sampleTask() });
    await assert.rejects(
      publishCloudEvent({ daprHttpUrl: sidecar.url, pubsubName: "pubsub", metrics: publisherMetrics(registry) }, "task.deleted", ev),
      (err: unknown) =>
        err instanceof PublishError &&
        err.status === 500 &&
        err.message.startsWith(`Publish of event ${ev.id} to "task.deleted" failed: HTTP 500`),
    );
  } finally {
    sidecar.publishStatus = null;
  }
  assert.match(await registry.metrics(), /events_failed_total\{topic="task.deleted",stage="publish",service="t"\} 1/);
  await assert.rejects(publishCloudEvent({ daprHttpUrl: "http://127.0.0.1:9", pubsubName: "p" }, "t", { id: "x" }), PublishError);
});

function appWith(handlers: TaskEventHandlers) {
  const registry = createRegistry("t");
  const metrics = consumerMetrics(registry);
  const { app } = createServiceApp({
    logger,
    registry,
    daprAppToken: testAppToken,
    readiness: {},
    preRoutes: (a) => a.use(subscriptionRouter({ handlers, logger, metrics })),
    routes: () => undefined,
  });
  return { app, registry };
}

test("deliveries answer SUCCESS, RETRY (handler throws) or DROP (DropEvent, or not matching the schema)", async () => {
  const seen: string[] = [];
  const { app, registry } = appWith({
    taskCompleted: async (event) => {
      seen.push(event.data.task.title);
      if (event.data.task.title === "retry") throw new Error("db down");
      if (event.data.task.title === "drop") throw new DropEvent("cannot ever work");
      if (event.data.task.title === "explicit") return "RETRY";
    },
  });
  const route = subscriptionRoute(topics.taskCompleted.name);
  const send = (title: string, body?: unknown) =>
    request(app, {
      method: "POST",
      url: route,
      body: JSON.stringify(body ?? sampleTaskEvent("taskCompleted", { actor: "u", task: sampleTask({ title }) })),
      headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
    });
  assert.deepEqual((await send("ok")).body, { status: "SUCCESS" });
  assert.deepEqual((await send("retry")).body, { status: "RETRY" });
  assert.deepEqual((await send("drop")).body, { status: "DROP" });
  assert.deepEqual((await send("explicit")).body, { status: "RETRY" });
  assert.deepEqual(
    (await send("x", { specversion: "1.0", id: "1", source: "s", type: "com.tasks.task.completed", data: { nope: true } })).body,
    { status: "DROP" },
  );
  assert.deepEqual(seen, ["ok", "retry", "drop", "explicit"]);
  const text = await registry.metrics();
  assert.match(text, /events_consumed_total\{topic="task.completed",result="SUCCESS",service="t"\} 1/);
  assert.match(text, /events_consumed_total\{topic="task.completed",result="RETRY",service="t"\} 2/);
  assert.match(text, /events_dead_lettered_total\{topic="task.completed",service="t"\} 2/);
  assert.match(text, /event_consume_lag_seconds_count\{service="t",topic="task.completed"\} 4/);
  // Only handled topics get a route; /dapr/subscribe lists no programmatic subscriptions.
  assert.equal(
    (await request(app, { method: "POST", url: subscriptionRoute(topics.taskCreated.name), body: {}, headers: daprHeaders })).status,
    404,
  );
  assert.deepEqual((await request(app, { url: "/dapr/subscribe", headers: daprHeaders })).body, []);
});

test("a consumer of task events only (realtime, notifications, recurrence) drops a calendar-feed.changed event safely", async () => {
  let calls = 0;
  const { app } = appWith({
    taskCreated: async () => void calls++,
    taskCompleted: async () => void calls++,
  });
  const feedEvent = newCloudEvent({
    topic: topics.calendarFeedChanged.name,
    source: "tasks-api",
    data: { actor: "u", change: "created", feed: { id: randomUUID(), userId: "u", name: "Tasks", createdAt: new Date().toISOString() } },
  });
  assert.equal(feedEvent.type, "com.tasks.calendar-feed.changed");
  const post = (url: string) =>
    request(app, {
      method: "POST",
      url,
      body: JSON.stringify(feedEvent),
      headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
    });
  // Misrouted onto a task topic: not that topic's type and no task in it, so DROP (dead-letter), no handler call.
  for (const topic of [topics.taskCreated.name, topics.taskCompleted.name])
    assert.deepEqual((await post(subscriptionRoute(topic))).body, { status: "DROP" });
  // Its own route is not served (no handler, and the catalog gives these apps no Subscription for it): 404.
  assert.equal((await post(subscriptionRoute(topics.calendarFeedChanged.name))).status, 404);
  assert.equal(calls, 0);
});

test("registered metric names are exactly catalog names", async () => {
  const registry = createRegistry("t");
  consumerMetrics(registry);
  publisherMetrics(registry);
  const names = (await registry.getMetricsAsJSON()).map((m) => m.name).sort();
  assert.deepEqual(
    names,
    [
      serviceMetrics.eventConsumeLag,
      serviceMetrics.eventsConsumed,
      serviceMetrics.eventsDeadLettered,
      serviceMetrics.eventsFailed,
      serviceMetrics.eventsPublished,
    ].sort(),
  );
});
