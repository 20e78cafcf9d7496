/**
 * The recurrence service end to end: Dapr deliveries of task.completed in, service invocation of the
 * tasks API's internal route out, against a real HTTP server standing in for the sidecar (which
 * also plays tasks-api, unique per series and occurrence time as the real route is).
 */
import assert from "node:assert/strict";
import type http from "node:http";
import { after, before, beforeEach, describe, test } from "node:test";
import { subscriptionRoute, tasksInternalRoutes, topics } from "@tasks/catalog";
import { createLogger, createRegistry, type CreateOccurrenceRequest, type TaskSnapshot } from "@tasks/shared";
import {
  request,
  sampleTask,
  sampleTaskEvent,
  startFakeSidecar,
  type FakeSidecar,
  type RecordedRequest,
  daprHeaders,
  testAppToken,
} from "@tasks/shared/testing";
import { createRecurrenceApp } from "../src/index.js";

const route = subscriptionRoute(topics.taskCompleted.name);
const invokePath = `/v1.0/invoke/tasks-api/method${tasksInternalRoutes.createOccurrence}`;

let sidecar: FakeSidecar;
const logs: Record<string, unknown>[] = [];
/** Tasks "created" by the stand-in, keyed by series and occurrence time. */
const created = new Map<string, string>();
let failWith: number | null = null;

function invocations(): RecordedRequest[] {
  return sidecar.requests.filter((r) => r.path === invokePath);
}

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

before(async () => {
  sidecar = await startFakeSidecar();
  sidecar.onRequest = (req, res) => {
    if (req.method !== "POST" || req.path !== invokePath) return false;
    if (failWith !== null) {
      answer(res, failWith, { type: "about:blank", title: "injected", status: failWith });
      return true;
    }
    const body = JSON.parse(req.body) as CreateOccurrenceRequest;
    const seriesId = body.sourceTask.seriesId ?? body.sourceTask.id;
    const key = `${seriesId}|${body.occurrenceAt}`;
    const existing = created.get(key);
    const id = existing ?? crypto.randomUUID();
    created.set(key, id);
    const task: TaskSnapshot = {
      ...body.sourceTask,
      id,
      status: "open",
      completedAt: null,
      dueAt: body.occurrenceAt,
      seriesId,
      occurrenceAt: body.occurrenceAt,
    };
    answer(res, existing ? 200 : 201, { task, created: !existing });
    return true;
  };
});
after(() => sidecar.close());
beforeEach(() => {
  sidecar.requests.length = 0;
  created.clear();
  logs.length = 0;
  failWith = null;
});

function app(daprHttpUrl = sidecar.url) {
  const logger = createLogger({
    service: "recurrence",
    level: "debug",
    destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return createRecurrenceApp({
    logger,
    registry: createRegistry("recurrence"),
    sidecar: { daprHttpUrl, timeoutMs: 1000 },
    daprAppToken: testAppToken,
  }).app;
}

const completedTask = (overrides: Partial<TaskSnapshot>): TaskSnapshot =>
  sampleTask({
    status: "completed",
    completedAt: "2025-03-07T15:00:00.000Z",
    title: "Stand-up",
    description: "daily sync",
    priority: "high",
    tags: ["work", "team"],
    reminders: [15, 0],
    ...overrides,
  });

async function deliver(task: TaskSnapshot, eventId?: string, daprHttpUrl?: string) {
  const event = sampleTaskEvent("taskCompleted", { actor: task.userId, task }, eventId ? { id: eventId } : {});
  const res = await request(app(daprHttpUrl), {
    method: "POST",
    url: route,
    body: event,
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
  });
  assert.equal(res.status, 200);
  return (res.body as { status: string }).status;
}

describe("task.completed → next occurrence", () => {
  test("creates the next task through Dapr invocation with the task's fields and a stable key", async () => {
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "America/New_York", recurrence: "FREQ=WEEKLY;BYDAY=MO,FR" });
    assert.equal(await deliver(task), "SUCCESS");
    const calls = invocations();
    assert.equal(calls.length, 1);
    const body = JSON.parse(calls[0]!.body) as CreateOccurrenceRequest;
    // Friday 09:00 EST → Monday 09:00 EDT (the DST change is on Sunday 9 March).
    assert.equal(body.occurrenceAt, "2025-03-10T13:00:00Z");
    assert.deepEqual(
      {
        title: body.sourceTask.title,
        description: body.sourceTask.description,
        priority: body.sourceTask.priority,
        tags: body.sourceTask.tags,
        reminders: body.sourceTask.reminders,
        id: body.sourceTask.id,
      },
      { title: "Stand-up", description: "daily sync", priority: "high", tags: ["work", "team"], reminders: [15, 0], id: task.id },
    );
    assert.equal(body.sourceTask.recurrence, "FREQ=WEEKLY;BYDAY=MO,FR;BYHOUR=9;BYMINUTE=0;BYSECOND=0");
    assert.equal(calls[0]!.headers["idempotency-key"], `${task.id}/2025-03-10T13:00:00Z`);
    assert.equal(calls[0]!.headers["content-type"], "application/json");
    assert.ok(logs.some((l) => l.msg === "next occurrence created" && l.occurrenceAt === "2025-03-10T13:00:00Z"));
  });

  test("a redelivered completion gives one next task", async () => {
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "America/New_York", recurrence: "FREQ=DAILY" });
    assert.equal(await deliver(task, "evt-1"), "SUCCESS");
    assert.equal(await deliver(task, "evt-1"), "SUCCESS");
    const calls = invocations();
    assert.equal(calls.length, 2);
    assert.equal(calls[0]!.body, calls[1]!.body);
    assert.equal(calls[0]!.headers["idempotency-key"], calls[1]!.headers["idempotency-key"]);
    assert.equal(created.size, 1);
    assert.ok(logs.some((l) => l.msg === "next occurrence already existed"));
  });

  test("an occurrence is anchored at its scheduled time, not a due time the user moved, and keeps the series id", async () => {
    const seriesId = crypto.randomUUID();
    const task = completedTask({
      dueAt: "2025-03-08T22:00:00.000Z",
      occurrenceAt: "2025-03-08T14:00:00.000Z",
      seriesId,
      timeZone: "America/New_York",
      recurrence: "FREQ=DAILY;COUNT=5;BYHOUR=9;BYMINUTE=0;BYSECOND=0",
    });
    assert.equal(await deliver(task), "SUCCESS");
    const [call] = invocations();
    const body = JSON.parse(call!.body) as CreateOccurrenceRequest;
    assert.equal(body.occurrenceAt, "2025-03-09T13:00:00Z");
    assert.equal(body.sourceTask.recurrence, "FREQ=DAILY;COUNT=4;BYHOUR=9;BYMINUTE=0;BYSECOND=0");
    assert.equal(call!.headers["idempotency-key"], `${seriesId}/2025-03-09T13:00:00Z`);
  });

  test("an ended series (COUNT used up) creates nothing", async () => {
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "Europe/London", recurrence: "FREQ=DAILY;COUNT=1" });
    assert.equal(await deliver(task), "SUCCESS");
    assert.equal(invocations().length, 0);
  });

  test("a series past its UNTIL creates nothing", async () => {
    const task = completedTask({
      dueAt: "2025-03-07T14:00:00.000Z",
      timeZone: "Europe/London",
      recurrence: "FREQ=DAILY;UNTIL=20250308T000000Z",
    });
    assert.equal(await deliver(task), "SUCCESS");
    assert.equal(invocations().length, 0);
  });

  test("a task without recurrence creates nothing", async () => {
    assert.equal(await deliver(completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "UTC" })), "SUCCESS");
    assert.equal(invocations().length, 0);
  });
});

describe("poison events are dropped with the reason logged", () => {
  test("an unparseable rule", async () => {
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "UTC", recurrence: "FREQ=SOMETIMES" });
    assert.equal(await deliver(task), "DROP");
    assert.equal(invocations().length, 0);
    const line = logs.find((l) => l.msg === "event dropped by handler");
    assert.equal(
      line?.reason,
      `task ${task.id}: recurrence "FREQ=SOMETIMES" cannot be evaluated: FREQ "SOMETIMES" is not one of YEARLY, MONTHLY, WEEKLY, DAILY, HOURLY, MINUTELY, SECONDLY`,
    );
  });

  test("an unknown time zone", async () => {
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "Europe/Atlantis", recurrence: "FREQ=DAILY" });
    assert.equal(await deliver(task), "DROP");
    assert.match(String(logs.find((l) => l.msg === "event dropped by handler")?.reason), /unknown time zone "Europe\/Atlantis"$/);
  });

  test("a recurrence without a due time", async () => {
    const task = completedTask({ recurrence: "FREQ=DAILY" });
    assert.equal(await deliver(task), "DROP");
    assert.equal(
      logs.find((l) => l.msg === "event dropped by handler")?.reason,
      `task ${task.id} has a recurrence but no due time to anchor it`,
    );
  });

  test("a rule stored before validation that never occurs (30 February, hourly) is dropped once, within the budget", async () => {
    const task = completedTask({
      dueAt: "2025-03-07T14:00:00.000Z",
      timeZone: "UTC",
      recurrence: "FREQ=HOURLY;BYMONTH=2;BYMONTHDAY=30",
    });
    assert.equal(await deliver(task), "DROP");
    assert.equal(invocations().length, 0);
    assert.match(
      String(logs.find((l) => l.msg === "event dropped by handler")?.reason),
      /cannot be evaluated: rule is too costly to evaluate: the search for the next occurrence needs more than 4000 rrule periods$/,
    );
  });

  test("an HOURLY rule whose INTERVAL never reaches its BYHOUR (rrule would loop forever) is dropped", async () => {
    const task = completedTask({ dueAt: "2025-03-07T09:00:00.000Z", timeZone: "UTC", recurrence: "FREQ=HOURLY;INTERVAL=24;BYHOUR=3" });
    assert.equal(await deliver(task), "DROP");
    assert.match(
      String(logs.find((l) => l.msg === "event dropped by handler")?.reason),
      /INTERVAL=24 hours from 09:00 never reaches BYHOUR 3$/,
    );
  });

  test("an invalid payload", async () => {
    const res = await request(app(), {
      method: "POST",
      url: route,
      body: { specversion: "1.0", id: "x", source: "s", type: topics.taskCompleted.eventType, data: { task: { id: "nope" } } },
      headers: daprHeaders,
    });
    assert.deepEqual(res.body, { status: "DROP" });
    assert.equal(invocations().length, 0);
  });

  test("the tasks API rejecting the request (400) is not retried", async () => {
    failWith = 400;
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "UTC", recurrence: "FREQ=DAILY" });
    assert.equal(await deliver(task), "DROP");
    assert.match(String(logs.find((l) => l.msg === "event dropped by handler")?.reason), /tasks-api answered HTTP 400/);
  });

  test("a series the user ended (410) is done: SUCCESS, not retried nor dropped", async () => {
    failWith = 410;
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "UTC", recurrence: "FREQ=DAILY" });
    assert.equal(await deliver(task), "SUCCESS");
    assert.ok(logs.some((l) => l.msg === "series was ended; no next occurrence"));
  });

  test("repeat from completion: the next task is due the interval after completedAt, at the rule's time", async () => {
    const task = completedTask({
      dueAt: "2025-03-01T09:00:00.000Z",
      completedAt: "2025-03-07T15:00:00.000Z",
      timeZone: "America/New_York",
      recurrence: "FREQ=DAILY;INTERVAL=3;BYHOUR=8;COUNT=4",
      repeatFrom: "completion",
    });
    assert.equal(await deliver(task, "evt-c"), "SUCCESS");
    assert.equal(await deliver(task, "evt-c"), "SUCCESS");
    const [first, second] = invocations().map((c) => JSON.parse(c.body) as CreateOccurrenceRequest);
    // Friday 10:00 EST + 3 days = Monday 10 March, at 08:00 EDT (DST began on Sunday).
    assert.equal(first!.occurrenceAt, "2025-03-10T12:00:00Z");
    assert.equal(first!.sourceTask.recurrence, "FREQ=DAILY;INTERVAL=3;BYHOUR=8;COUNT=3");
    assert.equal(first!.sourceTask.repeatFrom, "completion");
    assert.deepEqual(second, first);
    assert.equal(created.size, 1);
  });
});

describe("transient failures are retried", () => {
  test("the tasks API unavailable (503), then back", async () => {
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "UTC", recurrence: "FREQ=DAILY" });
    failWith = 503;
    assert.equal(await deliver(task, "evt-r"), "RETRY");
    failWith = 429;
    assert.equal(await deliver(task, "evt-r"), "RETRY");
    failWith = null;
    assert.equal(await deliver(task, "evt-r"), "SUCCESS");
    assert.equal(created.size, 1);
  });

  test("the sidecar unreachable", async () => {
    const task = completedTask({ dueAt: "2025-03-07T14:00:00.000Z", timeZone: "UTC", recurrence: "FREQ=DAILY" });
    assert.equal(await deliver(task, undefined, "http://127.0.0.1:9"), "RETRY");
  });
});
