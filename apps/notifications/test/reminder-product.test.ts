/**
 * Issue 19 against real servers (PostgreSQL, smtp-server, an HTTP stand-in for the sidecar): reminder
 * defaults for a new user, urgent escalation, a reminder already due when scheduled, per-minute email
 * digests and snooze. The clock is injected.
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
  daprHeaders,
  request,
  sampleTask,
  sampleTaskEvent,
  signTestToken,
  testAppToken,
  testJwtKey,
  type TestDatabase,
} from "@tasks/shared/testing";
import type { Express } from "express";
import { createNotificationsApp, digestJobName, migrations, smtpSender, type EmailSender } from "../src/index.js";
import { startNotificationsSidecar, type NotificationsSidecar } from "./support/sidecar.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";

const failurePolicy = { constant: { interval: "1s", maxRetries: 4 } } as const;
let tdb: TestDatabase;
let db: Knex;
let sidecar: NotificationsSidecar;
let smtp: TestSmtp;
let email: EmailSender;
let app: Express;
let clock = 0;
const T0 = Date.parse("2025-06-02T08:00:00Z");

before(async () => {
  tdb = await createTestDatabase("notif_product");
  db = createDatabase({ connectionString: tdb.url, poolMax: 6 });
  await migrateLatest(db, migrations);
  sidecar = await startNotificationsSidecar();
  smtp = await startSmtp({ username: "u", password: "password-1" });
  email = smtpSender({ host: "127.0.0.1", port: smtp.port, tls: "none", username: "u", password: "password-1", from: "r@tasks.test" });
  app = createNotificationsApp({
    db,
    logger: createLogger({ service: "notifications", level: process.env.TEST_LOG ? "debug" : "silent" }),
    registry: createRegistry("notifications"),
    sidecar: { daprHttpUrl: sidecar.url, timeoutMs: 2000 },
    auth: { hs256Key: testJwtKey },
    daprAppToken: testAppToken,
    email,
    push: { publicKey: "B".repeat(87), send: async () => "sent" },
    failurePolicy,
    maxAttempts: 2,
    urgentReminderMinutes: [60, 30, 10, 0],
    now: () => clock,
  }).app;
});

after(async () => {
  email.close();
  await db.destroy();
  await sidecar.close();
  await smtp.close();
  await tdb.drop();
});

beforeEach(async () => {
  clock = T0;
  sidecar.jobs.clear();
  sidecar.jobCalls.length = 0;
  sidecar.tasks.clear();
  smtp.mails.length = 0;
  // user_contacts stay: the router remembers per process which token emails it already wrote.
  await db.raw("truncate reminders, deliveries, digests, notifications, preferences, push_subscriptions");
});

async function publish<K extends TaskTopicKey>(key: K, data: TaskEventDataByKey[K]): Promise<void> {
  const res = await request(app, {
    method: "POST",
    url: subscriptionRoute(topics[key].name),
    body: sampleTaskEvent(key, data),
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
  });
  assert.equal(res.status, 200);
}

async function trigger(name: string): Promise<{ status: number; result: string }> {
  const res = await request(app, {
    method: "POST",
    url: `/job/${name}`,
    body: sidecar.jobs.get(name)?.spec.data ?? {},
    headers: daprHeaders,
  });
  return { status: res.status, result: (res.body as { result: string }).result };
}

/** A user who signed in with an email claim and opened the app once (a notifications request). */
async function newUser(user: string): Promise<string> {
  const token = await signTestToken(user, { claims: { email: `${user}@example.test` } });
  assert.equal((await request(app, { url: "/api/v1/notifications/unread-count", token })).status, 200);
  return token;
}

async function created(overrides: Partial<TaskSnapshot>): Promise<TaskSnapshot> {
  const task = sampleTask({
    userId: "user-a",
    title: "Pay rent",
    dueAt: "2025-06-02T12:00:00.000Z",
    timeZone: "UTC",
    reminders: null,
    ...overrides,
  });
  sidecar.tasks.set(task.id, task);
  await publish("taskCreated", { actor: task.userId, task });
  return task;
}

const jobsOf = (task: TaskSnapshot) => [...sidecar.jobs.keys()].filter((k) => k.includes(task.id)).sort();
const count = async (table: string) => Number((await db(table).count<{ count: string }[]>({ count: "*" }))[0]?.count);

describe("reminder defaults", () => {
  test("a new user's task with a due time: one reminder an hour before, in-app and email to the token's address", async () => {
    await newUser("user-a");
    const task = await created({});
    assert.deepEqual(jobsOf(task), [`reminder-${task.id}-60`]);
    assert.equal(sidecar.jobs.get(`reminder-${task.id}-60`)?.spec.dueTime, "2025-06-02T11:00:00.000Z");
    clock = Date.parse("2025-06-02T11:00:01Z");
    assert.equal((await trigger(`reminder-${task.id}-60`)).status, 200);
    assert.deepEqual(
      smtp.mails.map((m) => [m.to, m.subject, m.text]),
      [[["user-a@example.test"], "Reminder: Pay rent", `"Pay rent" is due in 60 minutes, at 2 Jun 2025, 12:00 UTC.`]],
    );
    assert.equal(await count("notifications"), 1);
  });

  test("preferences say otherwise: another default offset, or none", async () => {
    const token = await newUser("user-a");
    await request(app, { method: "PATCH", url: "/api/v1/notifications/preferences", token, body: { defaultReminderMinutes: 15 } });
    const t1 = await created({});
    assert.deepEqual(jobsOf(t1), [`reminder-${t1.id}-15`]);
    await request(app, { method: "PATCH", url: "/api/v1/notifications/preferences", token, body: { defaultReminderMinutes: null } });
    const t2 = await created({});
    assert.deepEqual(jobsOf(t2), []);
  });

  test("an explicit empty list means no reminder, even for an urgent task", async () => {
    await newUser("user-a");
    const t = await created({ reminders: [], priority: "urgent" });
    assert.deepEqual(jobsOf(t), []);
    assert.equal(sidecar.jobCalls.filter((c) => c.startsWith("POST")).length, 0);
  });

  test("an urgent task gets the escalating series with its other reminders, no offset twice", async () => {
    await newUser("user-a");
    const t = await created({ priority: "urgent", dueAt: "2025-06-02T10:00:00.000Z", reminders: [60, 120] });
    assert.deepEqual(
      jobsOf(t),
      [0, 10, 120, 30, 60].map((o) => `reminder-${t.id}-${o}`),
    );
    assert.equal(sidecar.jobCalls.filter((c) => c.startsWith("POST")).length, 5);
    // Not urgent: its own reminders only.
    const calm = await created({ priority: "high", dueAt: "2025-06-02T10:00:00.000Z" });
    assert.deepEqual(jobsOf(calm), [`reminder-${calm.id}-60`]);
  });
});

describe("a reminder already due when it is scheduled", () => {
  test("is sent right away, once: only the latest past one of the task; the rest are missed", async () => {
    await newUser("user-a");
    // Due in 20 minutes with reminders 120, 60 and 10 minutes before: 120 and 60 have passed.
    const t = await created({ dueAt: "2025-06-02T08:20:00.000Z", reminders: [120, 60, 10] });
    assert.deepEqual(jobsOf(t), [`reminder-${t.id}-10`, `reminder-${t.id}-60`]);
    assert.equal(sidecar.jobs.get(`reminder-${t.id}-60`)?.spec.dueTime, "2025-06-02T08:00:00.000Z");
    const states = await db("reminders").where({ task_id: t.id }).orderBy("offset_minutes").select("offset_minutes", "state");
    assert.deepEqual(
      states.map((r: { offset_minutes: number; state: string }) => `${r.offset_minutes}:${r.state}`),
      ["10:scheduled", "60:scheduled", "120:missed"],
    );
    clock += 1500;
    assert.equal((await trigger(`reminder-${t.id}-60`)).status, 200);
    assert.deepEqual(
      smtp.mails.map((m) => m.text),
      [`"Pay rent" is due in 20 minutes, at 2 Jun 2025, 08:20 UTC.`],
    );
    // The event again (redelivery) and the trigger again: nothing new.
    sidecar.jobCalls.length = 0;
    await publish("taskCreated", { actor: t.userId, task: t });
    assert.deepEqual(
      sidecar.jobCalls.filter((c) => c.startsWith("POST")),
      [],
    );
    assert.equal((await trigger(`reminder-${t.id}-60`)).status, 200);
    assert.equal(smtp.mails.length, 1);
  });

  test("its job firing before the scheduling call returns (Dapr triggers a job due now at once) still finds the reminder: sent once", async () => {
    await newUser("user-a");
    const fired: string[] = [];
    sidecar.fireOnSchedule = async (name) => {
      fired.push(`${name}: ${(await trigger(name)).result}`);
    };
    let t: TaskSnapshot;
    try {
      // Due in 20 minutes with a reminder an hour before: caught up now.
      t = await created({ dueAt: "2025-06-02T08:20:00.000Z", reminders: [60] });
    } finally {
      sidecar.fireOnSchedule = null;
    }
    assert.equal(fired.length, 1);
    assert.doesNotMatch(fired[0]!, /unknown/, "the trigger found its reminder");
    assert.equal(smtp.mails.length, 1, "the email went out with the trigger, not held by its own row");
    assert.equal((await db("reminders").where({ task_id: t.id }).first<{ state: string }>())?.state, "delivered");
    assert.equal((await trigger(`reminder-${t.id}-60`)).status, 200);
    assert.equal(smtp.mails.length, 1);
  });

  test("a scheduling call that fails leaves no reminder without a job: the event's redelivery schedules it", async () => {
    await newUser("user-a");
    const task = sampleTask({ userId: "user-a", dueAt: "2025-06-02T12:00:00.000Z", timeZone: "UTC", reminders: [30] });
    sidecar.tasks.set(task.id, task);
    const deliver = () =>
      request(app, {
        method: "POST",
        url: subscriptionRoute(topics.taskCreated.name),
        body: sampleTaskEvent("taskCreated", { actor: task.userId, task }),
        headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
      });
    sidecar.jobsStatus = 503;
    try {
      assert.deepEqual((await deliver()).body, { status: "RETRY" }, "the event is retried");
    } finally {
      sidecar.jobsStatus = null;
    }
    assert.deepEqual(jobsOf(task), []);
    assert.equal((await db("reminders").where({ task_id: task.id }).first<{ state: string }>())?.state, "cancelled");
    assert.deepEqual((await deliver()).body, { status: "SUCCESS" });
    assert.deepEqual(jobsOf(task), [`reminder-${task.id}-30`]);
    assert.equal((await db("reminders").where({ task_id: task.id }).first<{ state: string }>())?.state, "scheduled");
  });

  test("a task already overdue gets no catch-up reminder", async () => {
    await newUser("user-a");
    const t = await created({ dueAt: "2025-06-02T07:00:00.000Z" });
    assert.deepEqual(jobsOf(t), []);
  });
});

describe("email digest: one email per user and minute", () => {
  test("three reminders of one user in the same minute: in-app per task, one email listing all three", async () => {
    await newUser("user-a");
    await newUser("user-b");
    const a = [
      await created({ title: "Pay rent" }),
      await created({ title: "Call the bank", dueAt: "2025-06-02T12:00:30.000Z" }),
      await created({ title: "Book flights", dueAt: "2025-06-02T12:30:00.000Z", reminders: [90] }),
    ];
    const b = await created({ userId: "user-b", title: "B's task" });
    const jobs = [`reminder-${a[0]!.id}-60`, `reminder-${a[1]!.id}-60`, `reminder-${a[2]!.id}-90`];
    clock = Date.parse("2025-06-02T11:00:31Z");
    assert.deepEqual(JSON.parse((await trigger(jobs[0]!)).result).email, "queued");
    assert.equal(smtp.mails.length, 0);
    // The fallback for the minute exists once.
    const fallback = digestJobName("user-a", new Date("2025-06-02T11:00:00Z"));
    assert.equal(sidecar.jobs.get(fallback)?.spec.dueTime, "2025-06-02T11:01:30.000Z");
    assert.deepEqual(JSON.parse((await trigger(jobs[1]!)).result).email, "queued");
    assert.equal(sidecar.jobCalls.filter((c) => c === `POST ${fallback}`).length, 1);
    assert.deepEqual(JSON.parse((await trigger(jobs[2]!)).result).email, "sent");
    assert.equal((await trigger(`reminder-${b.id}-60`)).status, 200);
    assert.equal(smtp.mails.length, 2);
    const digest = smtp.mails.find((m) => m.to[0] === "user-a@example.test")!;
    assert.equal(digest.subject, "Reminders: Pay rent, Call the bank, Book flights");
    assert.equal(
      digest.text.replace(/\r\n/g, "\n"),
      [
        "3 reminders:",
        `- "Pay rent" is due in 59 minutes, at 2 Jun 2025, 12:00 UTC.`,
        `- "Call the bank" is due in 60 minutes, at 2 Jun 2025, 12:00 UTC.`,
        `- "Book flights" is due in 89 minutes, at 2 Jun 2025, 12:30 UTC.`,
      ].join("\n"),
    );
    assert.equal(smtp.mails.find((m) => m.to[0] === "user-b@example.test")?.subject, "Reminder: B's task");
    assert.equal(await count("notifications"), 4);
    // Redelivered triggers and the fallback send nothing more.
    for (const j of jobs) assert.equal((await trigger(j)).status, 200);
    assert.deepEqual(await trigger(fallback), { status: 200, result: "digest duplicate (0)" });
    assert.equal(smtp.mails.length, 2);
  });

  test("a reminder of the minute that never arrives: the fallback job sends the others; one cancelled meanwhile releases them at once", async () => {
    await newUser("user-a");
    const [t1, t2, t3] = [await created({ title: "One" }), await created({ title: "Two" }), await created({ title: "Three" })];
    clock = Date.parse("2025-06-02T11:00:02Z");
    await trigger(`reminder-${t1.id}-60`);
    // Three's task was completed meanwhile: its trigger cancels it, and Two's email no longer waits for it.
    sidecar.tasks.set(t3.id, { ...t3, status: "completed", version: 2 });
    await trigger(`reminder-${t2.id}-60`);
    assert.equal(smtp.mails.length, 0);
    assert.deepEqual(await trigger(`reminder-${t3.id}-60`), { status: 200, result: "task no longer open" });
    assert.deepEqual(
      smtp.mails.map((m) => m.subject),
      ["Reminders: One, Two"],
    );

    // Another minute: Five's trigger never comes; the fallback job sends Four.
    smtp.mails.length = 0;
    const [t4, t5] = [
      await created({ title: "Four", dueAt: "2025-06-02T13:00:00.000Z" }),
      await created({ title: "Five", dueAt: "2025-06-02T13:00:00.000Z" }),
    ];
    clock = Date.parse("2025-06-02T12:00:01Z");
    await trigger(`reminder-${t4.id}-60`);
    assert.equal(smtp.mails.length, 0);
    clock = Date.parse("2025-06-02T12:01:30Z");
    assert.deepEqual(await trigger(digestJobName("user-a", new Date("2025-06-02T12:00:00Z"))), { status: 200, result: "digest sent (1)" });
    assert.deepEqual(
      smtp.mails.map((m) => m.subject),
      ["Reminder: Four"],
    );
    // Five arrives late after all: its own email, not a second one for Four.
    await trigger(`reminder-${t5.id}-60`);
    assert.deepEqual(
      smtp.mails.map((m) => m.subject),
      ["Reminder: Four", "Reminder: Five"],
    );
  });

  test("an SMTP failure leaves the minute's emails to retry; the retried trigger sends them once", async () => {
    await newUser("user-a");
    const [t1, t2] = [await created({ title: "One" }), await created({ title: "Two" })];
    clock = Date.parse("2025-06-02T11:00:02Z");
    await trigger(`reminder-${t1.id}-60`);
    smtp.failNext = 1;
    const failed = await trigger(`reminder-${t2.id}-60`);
    assert.equal(failed.status, 500);
    assert.equal(JSON.parse(failed.result).email, "retry");
    const again = await trigger(`reminder-${t2.id}-60`);
    assert.deepEqual(JSON.parse(again.result), { inapp: "duplicate", email: "sent", push: "skipped" });
    assert.deepEqual(
      smtp.mails.map((m) => m.subject),
      ["Reminders: One, Two"],
    );
  });
});

describe("snooze", () => {
  async function delivered(token: string) {
    const t = await created({});
    clock = Date.parse("2025-06-02T11:00:01Z");
    await trigger(`reminder-${t.id}-60`);
    const list = await request(app, { url: "/api/v1/notifications", token });
    const id = (list.body as { items: { id: string }[] }).items[0]!.id;
    smtp.mails.length = 0;
    return { t, id };
  }
  const snooze = (token: string, id: string, body: unknown) =>
    request(app, { method: "POST", url: `/api/v1/notifications/${id}/snooze`, token, body });

  test("15 minutes: a one-shot job; repeating the request changes nothing; the reminder comes back once", async () => {
    const token = await newUser("user-a");
    const { t, id } = await delivered(token);
    const res = await snooze(token, id, { minutes: 15 });
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(res.body, { notificationId: id, until: "2025-06-02T11:15:01.000Z" });
    assert.deepEqual(sidecar.jobs.get(`snooze-${id}`)?.spec, {
      dueTime: "2025-06-02T11:15:01.000Z",
      data: { reminder: `snooze-${id}`, remindAt: "2025-06-02T11:15:01.000Z" },
      overwrite: true,
      failurePolicy,
    });
    assert.equal((await snooze(token, id, { minutes: 15 })).status, 202);
    assert.equal(sidecar.jobCalls.filter((c) => c === `POST snooze-${id}`).length, 1);
    // Snoozing marks the notification read.
    assert.deepEqual((await request(app, { url: "/api/v1/notifications/unread-count", token })).body, { count: 0 });
    clock = Date.parse("2025-06-02T11:15:02Z");
    assert.equal((await trigger(`snooze-${id}`)).status, 200);
    assert.equal((await trigger(`snooze-${id}`)).status, 200);
    assert.deepEqual(
      smtp.mails.map((m) => m.text),
      [`"Pay rent" is due in 45 minutes, at 2 Jun 2025, 12:00 UTC.`],
    );
    assert.equal(await count("notifications"), 2);
    // A task update does not prune the snooze; completing the task cancels a pending one.
    const second = ((await db("notifications").whereNull("read_at").first("id")) as { id: string }).id;
    assert.equal((await snooze(token, second, { minutes: 5 })).status, 202);
    const moved = { ...t, title: "Pay the rent", version: 2 };
    sidecar.tasks.set(t.id, moved);
    await publish("taskUpdated", { actor: t.userId, task: moved, before: t, after: moved, changed: ["title"] });
    assert.equal([...sidecar.jobs.keys()].filter((k) => k.startsWith("snooze-")).length, 2);
    await publish("taskCompleted", { actor: t.userId, task: { ...moved, status: "completed", version: 3 } });
    assert.ok(sidecar.jobCalls.includes(`DELETE snooze-${second}`));
    assert.equal(sidecar.jobs.has(`snooze-${second}`), false);
  });

  test("until a time inside quiet hours: deferred to their end", async () => {
    const token = await newUser("user-a");
    const { id } = await delivered(token);
    await request(app, {
      method: "PATCH",
      url: "/api/v1/notifications/preferences",
      token,
      body: { quietHours: { start: "11:30", end: "11:45" }, timeZone: "UTC" },
    });
    assert.equal((await snooze(token, id, { until: "2025-06-02T11:35:00Z" })).status, 202);
    clock = Date.parse("2025-06-02T11:35:00Z");
    assert.deepEqual(await trigger(`snooze-${id}`), { status: 200, result: "deferred until 2025-06-02T11:45:00.000Z" });
    assert.equal(smtp.mails.length, 0);
    clock = Date.parse("2025-06-02T11:45:01Z");
    assert.equal((await trigger(`snooze-${id}-d1`)).status, 200);
    assert.equal(smtp.mails.length, 1);
  });

  test("bad requests name the field; another user's notification is 404", async () => {
    const token = await newUser("user-a");
    const { id } = await delivered(token);
    const fields = async (body: unknown) => {
      const res = await snooze(token, id, body);
      assert.equal(res.status, 400);
      return (res.body as { errors: { field: string }[] }).errors.map((e) => e.field);
    };
    assert.deepEqual(await fields({ minutes: 7 }), ["minutes"]);
    assert.deepEqual(await fields({}), ["minutes"]);
    assert.deepEqual(await fields({ minutes: 5, until: "2025-06-02T12:00:00Z" }), ["minutes"]);
    assert.deepEqual(await fields({ until: "2025-06-02T11:00:30Z" }), ["until"]);
    assert.deepEqual(await fields({ until: "tomorrow" }), ["until"]);
    const other = await newUser("user-b");
    assert.equal((await snooze(other, id, { minutes: 5 })).status, 404);
  });
});
