/**
 * Reminders end to end against real servers: PostgreSQL (own database), an SMTP server
 * (smtp-server) that requires authentication, and a real HTTP server standing in for the Dapr
 * sidecar (Jobs API, tasks-api invocation). The clock is injected so quiet hours are deterministic.
 */
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { subscriptionRoute, topics, type TaskTopicKey } from "@tasks/catalog";
import {
  createDatabase,
  createLogger,
  createRegistry,
  migrateLatest,
  type Knex,
  type TaskEventDataByKey,
  type TaskSnapshot,
} from "@tasks/shared";
import {
  createTestDatabase,
  request,
  sampleTask,
  sampleTaskEvent,
  signTestToken,
  testJwtKey,
  type TestDatabase,
  testAppToken,
  daprHeaders,
} from "@tasks/shared/testing";
import type { Express } from "express";
import { createNotificationsApp, circuitBreakingSender, migrations, smtpSender, type EmailSender, type PushSender } from "../src/index.js";
import { startNotificationsSidecar, type NotificationsSidecar } from "./support/sidecar.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";

const SMTP_USER = "notifier";
const SMTP_PASS = "s3cret-smtp-password";
const failurePolicy = { constant: { interval: "1s", maxRetries: 4 } } as const;

let tdb: TestDatabase;
let db: Knex;
let sidecar: NotificationsSidecar;
let smtp: TestSmtp;
let email: EmailSender;
let app: Express;
let clock = Date.parse("2025-06-02T08:00:00Z");
const pushes: { endpoint: string; payload: string }[] = [];
const push: PushSender = {
  publicKey: "B".repeat(87),
  send: async (t, payload) => (pushes.push({ endpoint: t.endpoint, payload }), "sent"),
};
let tokenA: string;

const registry = createRegistry("notifications");

before(async () => {
  tdb = await createTestDatabase("notif_reminders");
  db = createDatabase({ connectionString: tdb.url, poolMax: 4 });
  await migrateLatest(db, migrations);
  sidecar = await startNotificationsSidecar();
  smtp = await startSmtp({ username: SMTP_USER, password: SMTP_PASS });
  email = smtpSender({
    host: "127.0.0.1",
    port: smtp.port,
    tls: "none",
    username: SMTP_USER,
    password: SMTP_PASS,
    from: "reminders@tasks.test",
  });
  app = createNotificationsApp({
    db,
    logger: createLogger({ service: "notifications", level: process.env.TEST_LOG ? "debug" : "silent" }),
    registry,
    sidecar: { daprHttpUrl: sidecar.url, timeoutMs: 2000 },
    auth: { hs256Key: testJwtKey },
    daprAppToken: testAppToken,
    email,
    push,
    failurePolicy,
    maxAttempts: 2,
    now: () => clock,
  }).app;
  tokenA = await signTestToken("user-a");
});

after(async () => {
  email.close();
  await db.destroy();
  await sidecar.close();
  await smtp.close();
  await tdb.drop();
});

beforeEach(async () => {
  clock = Date.parse("2025-06-02T08:00:00Z");
  sidecar.jobs.clear();
  sidecar.jobCalls.length = 0;
  sidecar.tasks.clear();
  sidecar.tasksStatus = null;
  smtp.mails.length = 0;
  smtp.failNext = 0;
  pushes.length = 0;
  await db.raw("truncate reminders, deliveries, notifications, notifications_archive, preferences, push_subscriptions, user_contacts");
});

async function publish<K extends TaskTopicKey>(key: K, data: TaskEventDataByKey[K]): Promise<void> {
  const event = sampleTaskEvent(key, data);
  const res = await request(app, {
    method: "POST",
    url: subscriptionRoute(topics[key].name),
    body: event,
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
  });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { status: "SUCCESS" });
}

async function trigger(name: string): Promise<{ status: number; result: string }> {
  const job = sidecar.jobs.get(name);
  const res = await request(app, { method: "POST", url: `/job/${name}`, body: job?.spec.data ?? {}, headers: daprHeaders });
  return { status: res.status, result: (res.body as { result: string }).result };
}

async function setPrefs(token: string, patch: Record<string, unknown>): Promise<void> {
  const res = await request(app, { method: "PATCH", url: "/api/v1/notifications/preferences", token, body: patch });
  assert.equal(res.status, 200, res.text);
}

function openTask(overrides: Partial<TaskSnapshot> = {}): TaskSnapshot {
  const task = sampleTask({
    title: "Pay rent",
    dueAt: "2025-06-02T12:00:00.000Z",
    timeZone: "Europe/London",
    reminders: [30, 0],
    ...overrides,
  });
  sidecar.tasks.set(task.id, task);
  return task;
}

describe("scheduling reminders with the Jobs API", () => {
  test("task.created schedules one job per reminder, named from task id and offset", async () => {
    const task = openTask();
    await publish("taskCreated", { actor: task.userId, task });
    assert.deepEqual([...sidecar.jobs.keys()].sort(), [`reminder-${task.id}-0`, `reminder-${task.id}-30`]);
    assert.deepEqual(sidecar.jobs.get(`reminder-${task.id}-30`)?.spec, {
      dueTime: "2025-06-02T11:30:00.000Z",
      data: { reminder: `reminder-${task.id}-30`, remindAt: "2025-06-02T11:30:00.000Z" },
      overwrite: true,
      failurePolicy,
    });
  });

  test("a redelivered event does not post the jobs again", async () => {
    const task = openTask();
    await publish("taskCreated", { actor: task.userId, task });
    await publish("taskCreated", { actor: task.userId, task });
    assert.equal(sidecar.jobCalls.filter((c) => c.startsWith("POST")).length, 2);
  });

  test("a new due time reschedules (overwrite) and a removed reminder is deleted", async () => {
    const task = openTask();
    await publish("taskCreated", { actor: task.userId, task });
    sidecar.jobCalls.length = 0;
    const moved = { ...task, dueAt: "2025-06-03T09:00:00.000Z", reminders: [30], version: 2 };
    sidecar.tasks.set(task.id, moved);
    await publish("taskUpdated", { actor: task.userId, task: moved, before: task, after: moved, changed: ["dueAt", "reminders"] });
    assert.deepEqual(sidecar.jobCalls, [`DELETE reminder-${task.id}-30`, `POST reminder-${task.id}-30`, `DELETE reminder-${task.id}-0`]);
    assert.deepEqual([...sidecar.jobs.keys()], [`reminder-${task.id}-30`]);
    assert.equal(sidecar.jobs.get(`reminder-${task.id}-30`)?.spec.dueTime, "2025-06-03T08:30:00.000Z");
  });

  test("an out-of-order older update is ignored", async () => {
    const task = openTask({ version: 3 });
    await publish("taskCreated", { actor: task.userId, task });
    const older = { ...task, dueAt: "2025-06-09T09:00:00.000Z", version: 2 };
    await publish("taskUpdated", { actor: task.userId, task: older, before: task, after: older, changed: ["dueAt"] });
    assert.equal(sidecar.jobs.get(`reminder-${task.id}-30`)?.spec.dueTime, "2025-06-02T11:30:00.000Z");
  });

  test("completing the task cancels its jobs (DELETE)", async () => {
    const task = openTask();
    await publish("taskCreated", { actor: task.userId, task });
    const done = { ...task, status: "completed" as const, completedAt: "2025-06-02T09:00:00.000Z", version: 2 };
    await publish("taskCompleted", { actor: task.userId, task: done });
    assert.equal(sidecar.jobs.size, 0);
    assert.deepEqual(sidecar.jobCalls.filter((c) => c.startsWith("DELETE")).sort(), [
      `DELETE reminder-${task.id}-0`,
      `DELETE reminder-${task.id}-30`,
    ]);
  });

  test("reopening a completed task (task.updated, issue 19) schedules its reminders again where still ahead; skipping cancels them", async () => {
    const task = openTask({ reminders: [300, 30] });
    await publish("taskCreated", { actor: task.userId, task });
    const done = { ...task, status: "completed" as const, completedAt: "2025-06-02T08:10:00.000Z", version: 2 };
    await publish("taskCompleted", { actor: task.userId, task: done });
    assert.equal(sidecar.jobs.size, 0);
    // Reopened at 09:30: the 11:30 reminder is ahead again, the 07:00 one (300 minutes before noon) has passed.
    clock = Date.parse("2025-06-02T09:30:00Z");
    const reopened = { ...done, status: "open" as const, completedAt: null, version: 3 };
    sidecar.tasks.set(task.id, reopened);
    await publish("taskUpdated", { actor: task.userId, task: reopened, before: done, after: reopened, changed: ["status", "completedAt"] });
    assert.deepEqual([...sidecar.jobs.keys()], [`reminder-${task.id}-30`]);
    assert.equal(sidecar.jobs.get(`reminder-${task.id}-30`)?.spec.dueTime, "2025-06-02T11:30:00.000Z");
    const skipped = { ...reopened, status: "skipped" as const, version: 4 };
    await publish("taskCompleted", { actor: task.userId, task: skipped });
    assert.equal(sidecar.jobs.size, 0);
  });

  test("deleting the task cancels its jobs", async () => {
    const task = openTask();
    await publish("taskCreated", { actor: task.userId, task });
    await publish("taskDeleted", { actor: task.userId, task: { ...task, version: 2 } });
    assert.equal(sidecar.jobs.size, 0);
  });

  test("a task whose reminders are not set gets the user's default offset; [] means none", async () => {
    await setPrefs(tokenA, { defaultReminderMinutes: 45 });
    const task = openTask({ reminders: null });
    await publish("taskCreated", { actor: task.userId, task });
    assert.deepEqual([...sidecar.jobs.keys()], [`reminder-${task.id}-45`]);
    const none = openTask({ reminders: [] });
    await publish("taskCreated", { actor: none.userId, task: none });
    assert.deepEqual([...sidecar.jobs.keys()], [`reminder-${task.id}-45`]);
  });
});

describe("delivering a reminder", () => {
  async function scheduled(overrides: Partial<TaskSnapshot> = {}): Promise<TaskSnapshot> {
    await setPrefs(tokenA, { email: "a@example.test", timeZone: "Europe/London" });
    const task = openTask(overrides);
    await publish("taskCreated", { actor: task.userId, task });
    clock = Date.parse("2025-06-02T11:30:05Z");
    return task;
  }

  test("sends the email (recipient, subject, body), writes the in-app row and pushes", async () => {
    await request(app, {
      method: "POST",
      url: "/api/v1/notifications/push-subscriptions",
      token: tokenA,
      body: { endpoint: "https://push.example.test/sub/1", keys: { p256dh: "B".repeat(87), auth: "A".repeat(22) } },
    });
    const task = await scheduled();
    const res = await trigger(`reminder-${task.id}-30`);
    assert.equal(res.status, 200);
    assert.equal(smtp.mails.length, 1);
    const mail = smtp.mails[0]!;
    assert.deepEqual(mail.to, ["a@example.test"]);
    assert.equal(mail.from, "reminders@tasks.test");
    assert.equal(mail.subject, "Reminder: Pay rent");
    assert.equal(mail.text, `"Pay rent" is due in 30 minutes, at 2 Jun 2025, 13:00 BST.`);
    const list = await request(app, { url: "/api/v1/notifications", token: tokenA });
    assert.deepEqual(
      (list.body as { items: { title: string; body: string; taskId: string }[] }).items.map((n) => [n.title, n.body, n.taskId]),
      [["Reminder: Pay rent", mail.text, task.id]],
    );
    assert.equal(pushes.length, 1);
    assert.deepEqual(JSON.parse(pushes[0]!.payload), { title: "Reminder: Pay rent", body: mail.text, taskId: task.id });
    const metrics = await registry.metrics();
    assert.match(metrics, /^notifications_delivered_total\{channel="email",result="sent",service="notifications"\} [1-9]/m);
    // Delivered 5 s after the reminder time (the injected clock).
    assert.match(metrics, /^reminder_lateness_seconds_bucket\{le="10",service="notifications",channel="email"\} 1$/m);
    assert.match(metrics, /^reminder_lateness_seconds_bucket\{le="2",service="notifications",channel="email"\} 0$/m);
  });

  test("with no address in the preferences, the email goes to the address the user's token carried (the email claim)", async () => {
    const withEmail = await signTestToken("user-a", { claims: { email: "a.token@example.test" } });
    // No token email seen yet: nowhere to send.
    await setPrefs(tokenA, { timeZone: "Europe/London" });
    const first = openTask();
    await publish("taskCreated", { actor: first.userId, task: first });
    clock = Date.parse("2025-06-02T11:30:05Z");
    assert.equal((await trigger(`reminder-${first.id}-30`)).status, 200);
    assert.equal(smtp.mails.length, 0);
    // A request with the email claim: remembered, and used for the next reminder.
    assert.equal((await request(app, { url: "/api/v1/notifications", token: withEmail })).status, 200);
    const second = openTask({ title: "Call the bank" });
    await publish("taskCreated", { actor: second.userId, task: second });
    assert.equal((await trigger(`reminder-${second.id}-30`)).status, 200);
    assert.deepEqual(
      smtp.mails.map((m) => m.to),
      [["a.token@example.test"]],
    );
    // An address in the preferences wins over the token's.
    await setPrefs(withEmail, { email: "a.prefs@example.test" });
    const third = openTask({ title: "Water the plants" });
    await publish("taskCreated", { actor: third.userId, task: third });
    assert.equal((await trigger(`reminder-${third.id}-30`)).status, 200);
    assert.deepEqual(smtp.mails.at(-1)?.to, ["a.prefs@example.test"]);
  });

  test("a duplicate trigger gives one email and one in-app row", async () => {
    const task = await scheduled();
    sidecar.jobs.set(`reminder-${task.id}-30`, sidecar.jobs.get(`reminder-${task.id}-30`)!);
    const [r1, r2] = await Promise.all([trigger(`reminder-${task.id}-30`), trigger(`reminder-${task.id}-30`)]);
    assert.equal(r1.status, 200);
    assert.equal(r2.status, 200);
    assert.equal((await trigger(`reminder-${task.id}-30`)).status, 200);
    assert.equal(smtp.mails.length, 1);
    assert.equal((await db("notifications").count<{ count: string }[]>({ count: "*" }))[0]?.count, "1");
  });

  test("disabled reminders deliver nothing", async () => {
    const task = await scheduled();
    await setPrefs(tokenA, { remindersEnabled: false });
    const res = await trigger(`reminder-${task.id}-30`);
    assert.deepEqual(res, { status: 200, result: "reminders disabled" });
    assert.equal(smtp.mails.length, 0);
    assert.equal((await db("notifications").count<{ count: string }[]>({ count: "*" }))[0]?.count, "0");
  });

  test("an email channel turned off sends no email but still writes the in-app row", async () => {
    const task = await scheduled();
    await setPrefs(tokenA, { channels: { email: false } });
    assert.equal((await trigger(`reminder-${task.id}-30`)).status, 200);
    assert.equal(smtp.mails.length, 0);
    assert.equal((await db("notifications").count<{ count: string }[]>({ count: "*" }))[0]?.count, "1");
  });

  test("inside quiet hours the reminder is deferred to their end in the user's zone, then delivered", async () => {
    await setPrefs(tokenA, { email: "a@example.test", timeZone: "America/New_York", quietHours: { start: "22:00", end: "07:30" } });
    const task = openTask({ dueAt: "2025-06-03T04:00:00.000Z" });
    await publish("taskCreated", { actor: task.userId, task });
    clock = Date.parse("2025-06-03T03:30:02Z"); // 23:30 in New York
    const res = await trigger(`reminder-${task.id}-30`);
    assert.deepEqual(res, { status: 200, result: "deferred until 2025-06-03T11:30:00.000Z" });
    assert.equal(smtp.mails.length, 0);
    const deferral = sidecar.jobs.get(`reminder-${task.id}-30-d1`);
    assert.equal(deferral?.spec.dueTime, "2025-06-03T11:30:00.000Z");
    assert.deepEqual(deferral?.spec.data, { reminder: `reminder-${task.id}-30`, remindAt: "2025-06-03T03:30:00.000Z" });
    // The original trigger arriving again is superseded by the deferral.
    assert.deepEqual(await trigger(`reminder-${task.id}-30`), { status: 200, result: "superseded trigger" });
    clock = Date.parse("2025-06-03T11:30:01Z");
    assert.equal((await trigger(`reminder-${task.id}-30-d1`)).status, 200);
    assert.equal(smtp.mails.length, 1);
    assert.deepEqual(smtp.mails[0]?.to, ["a@example.test"]);
  });

  test("completing a task with a deferred reminder deletes the deferral job", async () => {
    await setPrefs(tokenA, { timeZone: "Europe/London", quietHours: { start: "00:00", end: "23:59" } });
    const task = openTask();
    await publish("taskCreated", { actor: task.userId, task });
    clock = Date.parse("2025-06-02T11:30:05Z");
    assert.equal((await trigger(`reminder-${task.id}-30`)).status, 200);
    assert.ok(sidecar.jobs.has(`reminder-${task.id}-30-d1`));
    await publish("taskCompleted", { actor: task.userId, task: { ...task, status: "completed", version: 2 } });
    assert.ok(sidecar.jobCalls.includes(`DELETE reminder-${task.id}-30-d1`));
    assert.equal(sidecar.jobs.has(`reminder-${task.id}-30-d1`), false);
  });

  test("the task completed meanwhile (re-checked through invocation): nothing is sent", async () => {
    const task = await scheduled();
    sidecar.tasks.set(task.id, { ...task, status: "completed", version: 2 });
    assert.deepEqual(await trigger(`reminder-${task.id}-30`), { status: 200, result: "task no longer open" });
    assert.equal(smtp.mails.length, 0);
  });

  test("the task gone from the tasks API: nothing is sent", async () => {
    const task = await scheduled();
    sidecar.tasks.delete(task.id);
    assert.deepEqual(await trigger(`reminder-${task.id}-30`), { status: 200, result: "task not found" });
    assert.equal(smtp.mails.length, 0);
  });

  test("the tasks API unavailable: the callback fails so Dapr's failure policy retries it", async () => {
    const task = await scheduled();
    sidecar.tasksStatus = 503;
    assert.equal((await trigger(`reminder-${task.id}-30`)).status, 500);
    sidecar.tasksStatus = null;
    assert.equal((await trigger(`reminder-${task.id}-30`)).status, 200);
    assert.equal(smtp.mails.length, 1);
  });

  test("an SMTP failure is retried (other channels are not repeated), and recorded after the last attempt", async () => {
    const task = await scheduled();
    smtp.failNext = 1;
    const first = await trigger(`reminder-${task.id}-30`);
    assert.equal(first.status, 500);
    assert.equal(JSON.parse(first.result).email, "retry");
    const second = await trigger(`reminder-${task.id}-30`);
    assert.equal(second.status, 200);
    assert.deepEqual(JSON.parse(second.result), { inapp: "duplicate", email: "sent", push: "skipped" });
    assert.equal(smtp.mails.length, 1);
    assert.equal((await db("notifications").count<{ count: string }[]>({ count: "*" }))[0]?.count, "1");

    const other = await scheduled({ title: "Call the bank" });
    smtp.failNext = 2;
    assert.equal((await trigger(`reminder-${other.id}-30`)).status, 500);
    const last = await trigger(`reminder-${other.id}-30`);
    assert.equal(last.status, 200);
    assert.equal(JSON.parse(last.result).email, "failed");
    const row = await db("deliveries")
      .where({ reminder: `reminder-${other.id}-30`, channel: "email" })
      .first();
    assert.equal(row.status, "failed");
    assert.equal(row.attempts, 2);
    assert.match(row.detail, /Try again later/);
  });

  test("an open SMTP circuit fails the email channel fast, so the job is retried and sends once the relay is back", async () => {
    const breaking = circuitBreakingSender(
      smtpSender({
        host: "127.0.0.1",
        port: smtp.port,
        tls: "none",
        username: SMTP_USER,
        password: SMTP_PASS,
        from: "reminders@tasks.test",
      }),
      { failureThreshold: 1, cooldownMs: 60_000, now: () => clock },
    );
    const guardedRegistry = createRegistry("notifications");
    /** The SMTP series of the service's /metrics, e.g. `smtp_sends_total{result="sent"}` -> 1. */
    const smtpSeries = async () => {
      const text = await guardedRegistry.metrics();
      return Object.fromEntries(
        [...text.matchAll(/^(smtp_[a-z_]+)\{([^}]*)\} (\S+)$/gm)].map((m) => [
          `${m[1]}{${m[2]!.replace(/,?service="[^"]*"/, "")}}`,
          Number(m[3]),
        ]),
      );
    };
    try {
      const guarded = createNotificationsApp({
        db,
        logger: createLogger({ service: "notifications", level: "silent" }),
        registry: guardedRegistry,
        sidecar: { daprHttpUrl: sidecar.url, timeoutMs: 2000 },
        auth: { hs256Key: testJwtKey },
        daprAppToken: testAppToken,
        email: breaking,
        push,
        failurePolicy,
        maxAttempts: 3,
        now: () => clock,
      }).app;
      const fire = async (name: string) => {
        const res = await request(guarded, {
          method: "POST",
          url: `/job/${name}`,
          body: sidecar.jobs.get(name)?.spec.data ?? {},
          headers: daprHeaders,
        });
        return { status: res.status, result: JSON.parse((res.body as { result: string }).result) as Record<string, string> };
      };
      const task = await scheduled();
      const job = `reminder-${task.id}-30`;
      // Every result and state is exported before the first mail.
      assert.deepEqual(await smtpSeries(), {
        'smtp_sends_total{result="sent"}': 0,
        'smtp_sends_total{result="failed"}': 0,
        'smtp_sends_total{result="rejected"}': 0,
        'smtp_sends_total{result="circuit_open"}': 0,
        'smtp_circuit_state{state="closed"}': 1,
        'smtp_circuit_state{state="half-open"}': 0,
        'smtp_circuit_state{state="open"}': 0,
      });
      smtp.failNext = 1;
      assert.deepEqual(await fire(job), { status: 500, result: { inapp: "sent", email: "retry", push: "skipped" } });
      assert.equal(breaking.breaker.current, "open");
      // The relay would accept now, but the circuit is open: the send fails fast and the job is retried.
      assert.deepEqual(await fire(job), { status: 500, result: { inapp: "duplicate", email: "retry", push: "skipped" } });
      assert.equal(smtp.mails.length, 0);
      const row = await db("deliveries").where({ reminder: job, channel: "email" }).first();
      assert.equal(row.status, "retry");
      assert.match(row.detail, /^smtp circuit is open after repeated failures/);
      const open = await smtpSeries();
      assert.equal(open['smtp_sends_total{result="failed"}'], 1);
      assert.equal(open['smtp_sends_total{result="circuit_open"}'], 1);
      assert.equal(open['smtp_circuit_state{state="open"}'], 1);
      assert.equal(open['smtp_circuit_state{state="closed"}'], 0);
      clock += 60_000;
      assert.equal((await smtpSeries())['smtp_circuit_state{state="half-open"}'], 1, "the cool-down passed: half-open");
      assert.deepEqual(await fire(job), { status: 200, result: { inapp: "duplicate", email: "sent", push: "skipped" } });
      assert.equal(smtp.mails.length, 1);
      const closed = await smtpSeries();
      assert.equal(closed['smtp_sends_total{result="sent"}'], 1);
      assert.equal(closed['smtp_circuit_state{state="closed"}'], 1);
    } finally {
      breaking.close();
    }
  });

  test("a trigger for a job that was rescheduled since carries the old time and is ignored", async () => {
    const task = await scheduled();
    const stale = sidecar.jobs.get(`reminder-${task.id}-30`)!.spec.data;
    const moved = { ...task, dueAt: "2025-06-02T15:00:00.000Z", version: 2 };
    sidecar.tasks.set(task.id, moved);
    await publish("taskUpdated", { actor: task.userId, task: moved, before: task, after: moved, changed: ["dueAt"] });
    const res = await request(app, { method: "POST", url: `/job/reminder-${task.id}-30`, body: stale, headers: daprHeaders });
    assert.deepEqual(res.body, { result: "superseded trigger" });
    assert.equal(smtp.mails.length, 0);
  });
});
