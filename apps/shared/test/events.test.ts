import assert from "node:assert/strict";
import { test } from "node:test";
import { allTopics, topics } from "@tasks/catalog";
import { newCloudEvent, taskEventDataSchemas, taskEventSchema, topicKeyOf } from "../src/events.js";
import { sampleTask, sampleTaskEvent } from "../src/testing/fixtures.js";

test("every catalog topic has an event data schema, and only those", () => {
  assert.deepEqual(
    Object.keys(taskEventDataSchemas)
      .map((k) => topics[k as keyof typeof topics].name)
      .sort(),
    allTopics.map((t) => t.name).sort(),
  );
  for (const t of allTopics) assert.equal(topics[topicKeyOf(t.name)!].name, t.name);
  assert.equal(topicKeyOf("nope"), undefined);
});

test("newCloudEvent builds a CloudEvents 1.0 envelope with the catalog event type", () => {
  const task = sampleTask();
  const ev = newCloudEvent({
    topic: topics.taskCreated.name,
    source: "tasks-api",
    subject: task.id,
    id: "evt-1",
    time: new Date("2026-01-02T03:04:05.000Z"),
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    data: { actor: "u", task },
  });
  assert.deepEqual(ev, {
    specversion: "1.0",
    id: "evt-1",
    source: "tasks-api",
    type: "com.tasks.task.created",
    subject: task.id,
    time: "2026-01-02T03:04:05.000Z",
    datacontenttype: "application/json",
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    data: { actor: "u", task },
  });
  assert.throws(() => newCloudEvent({ topic: "task.nope", source: "x", data: {} }), /Unknown topic "task.nope"/);
});

test("taskEventSchema accepts a delivered event with Dapr's extra attributes", () => {
  const task = sampleTask();
  const ev = {
    ...sampleTaskEvent("taskUpdated", { actor: "u", task, before: task, after: task, changed: ["title"] }),
    topic: "task.updated",
    pubsubname: "pubsub",
    traceid: "x",
  };
  const parsed = taskEventSchema("taskUpdated").parse(ev);
  assert.equal(parsed.data.changed[0], "title");
  assert.equal((parsed as Record<string, unknown>).pubsubname, "pubsub");
});

test("taskEventSchema rejects the wrong type, spec version and data", () => {
  const task = sampleTask();
  const ok = sampleTaskEvent("taskCompleted", { actor: "u", task });
  const schema = taskEventSchema("taskCompleted");
  assert.equal(schema.safeParse({ ...ok, type: "com.tasks.task.created" }).success, false);
  assert.equal(schema.safeParse({ ...ok, specversion: "0.3" }).success, false);
  assert.equal(schema.safeParse({ ...ok, data: { actor: "u", task: { ...task, priority: "whenever" } } }).success, false);
  // task.updated needs before and after
  assert.equal(taskEventSchema("taskUpdated").safeParse({ ...ok, type: topics.taskUpdated.eventType }).success, false);
});
