import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { subscriptionRoute, topics } from "@tasks/catalog";
import { createRegistry, newCloudEvent, type Knex, type TaskSnapshot } from "@tasks/shared";
import { request, sampleTask, sampleTaskEvent, signTestToken, daprHeaders } from "@tasks/shared/testing";
import type { Express } from "express";
import { startAuditTestApp, type AuditTestApp } from "./support/app.js";

let audit: AuditTestApp;
let knex: Knex;
let app: Express;
const registry = createRegistry("audit");
before(async () => {
  audit = await startAuditTestApp("audit", { registry });
  ({ app, knex } = audit);
});
after(() => audit.close());

const deliver = (topic: string, body: unknown) =>
  request(app, {
    method: "POST",
    url: subscriptionRoute(topic),
    body: JSON.stringify(body),
    headers: { "content-type": "application/cloudevents+json", ...daprHeaders },
  });
const count = async () => Number((await knex("audit_entries").count<{ count: string }[]>("* as count"))[0]!.count);
const base = "/api/v1/audit";
interface Entry {
  eventId: string;
  taskId: string | null;
  feedId?: string | null;
  action: string;
  actor: string;
  before: TaskSnapshot | null;
  after: TaskSnapshot | null;
  occurredAt: string;
}
interface Page {
  items: Entry[];
  nextCursor: string | null;
}
const get = async (user: string, qs = "") => request(app, { url: `${base}${qs ? `?${qs}` : ""}`, token: await signTestToken(user) });

describe("recording events", () => {
  test("one row per event with actor, action, task, before, after, time and event id", async () => {
    const task = sampleTask({ userId: "alice", title: "v1" });
    const updated = { ...task, title: "v2", version: 2 };
    const done = { ...updated, status: "completed" as const, version: 3 };
    const evs = [
      [topics.taskCreated.name, sampleTaskEvent("taskCreated", { actor: "alice", task }, { time: new Date("2030-01-01T00:00:01Z") })],
      [
        topics.taskUpdated.name,
        sampleTaskEvent(
          "taskUpdated",
          { actor: "alice", task: updated, before: task, after: updated, changed: ["title"] },
          { time: new Date("2030-01-01T00:00:02Z") },
        ),
      ],
      [
        topics.taskCompleted.name,
        sampleTaskEvent("taskCompleted", { actor: "alice", task: done, before: updated }, { time: new Date("2030-01-01T00:00:03Z") }),
      ],
      [topics.taskDeleted.name, sampleTaskEvent("taskDeleted", { actor: "alice", task: done }, { time: new Date("2030-01-01T00:00:04Z") })],
    ] as const;
    for (const [topic, ev] of evs) assert.deepEqual((await deliver(topic, ev)).body, { status: "SUCCESS" });
    const page = (await get("alice", `taskId=${task.id}`)).json<Page>();
    assert.deepEqual(
      page.items.map((e) => [e.action, e.actor, e.before?.title ?? null, e.after?.title ?? null, e.occurredAt, e.eventId, e.taskId]),
      [
        ["deleted", "alice", "v2", null, "2030-01-01T00:00:04.000Z", evs[3][1].id, task.id],
        ["completed", "alice", "v2", "v2", "2030-01-01T00:00:03.000Z", evs[2][1].id, task.id],
        ["updated", "alice", "v1", "v2", "2030-01-01T00:00:02.000Z", evs[1][1].id, task.id],
        ["created", "alice", null, "v1", "2030-01-01T00:00:01.000Z", evs[0][1].id, task.id],
      ],
    );
    assert.deepEqual(page.items[2]!.before, task);
    // completed: before is the open task it closed, after the closed one.
    assert.deepEqual([page.items[1]!.before, page.items[1]!.after], [updated, done]);
  });

  test("a task.completed without before (written before events carried it) is recorded with before null", async () => {
    const task = sampleTask({ userId: "olga", status: "completed" });
    assert.deepEqual((await deliver(topics.taskCompleted.name, sampleTaskEvent("taskCompleted", { actor: "olga", task }))).body, {
      status: "SUCCESS",
    });
    const [entry] = (await get("olga", `taskId=${task.id}`)).json<Page>().items;
    assert.deepEqual([entry!.action, entry!.before, entry!.after], ["completed", null, task]);
  });

  test("reopening and skipping are actions of their own (issue 19), filterable", async () => {
    const task = sampleTask({ userId: "rosa", recurrence: "FREQ=DAILY", dueAt: "2030-01-01T08:00:00.000Z", timeZone: "UTC" });
    const done = { ...task, status: "completed" as const, completedAt: "2030-01-01T09:00:00.000Z", version: 2 };
    const reopened = { ...done, status: "open" as const, completedAt: null, version: 3 };
    const skipped = { ...reopened, status: "skipped" as const, version: 4 };
    const evs = [
      [topics.taskCompleted.name, sampleTaskEvent("taskCompleted", { actor: "rosa", task: done })],
      [
        topics.taskUpdated.name,
        sampleTaskEvent("taskUpdated", {
          actor: "rosa",
          task: reopened,
          before: done,
          after: reopened,
          changed: ["status", "completedAt"],
        }),
      ],
      [topics.taskCompleted.name, sampleTaskEvent("taskCompleted", { actor: "rosa", task: skipped })],
    ] as const;
    for (const [topic, ev] of evs) assert.deepEqual((await deliver(topic, ev)).body, { status: "SUCCESS" });
    const actions = (await get("rosa", `taskId=${task.id}`)).json<Page>().items.map((e) => e.action);
    assert.deepEqual(actions, ["skipped", "reopened", "completed"]);
    assert.equal((await get("rosa", "action=reopened")).json<Page>().items[0]!.before!.status, "completed");
    assert.equal((await get("rosa", "action=skipped")).json<Page>().items.length, 1);
  });

  test("a duplicate delivery is ignored by event id", async () => {
    const ev = sampleTaskEvent("taskCreated", { actor: "alice", task: sampleTask({ userId: "alice" }) });
    const n = await count();
    for (let i = 0; i < 3; i++) assert.deepEqual((await deliver(topics.taskCreated.name, ev)).body, { status: "SUCCESS" });
    const results = await Promise.all(Array.from({ length: 5 }, () => deliver(topics.taskCreated.name, ev)));
    assert.ok(results.every((r) => (r.body as { status: string }).status === "SUCCESS"));
    assert.equal(await count(), n + 1);
  });

  test("events that do not match the topic's schema, or cannot be stored, are dropped (dead-lettered)", async () => {
    const n = await count();
    const task = sampleTask();
    assert.deepEqual(
      (await deliver(topics.taskCreated.name, { ...sampleTaskEvent("taskCreated", { actor: "a", task }), type: "com.tasks.task.deleted" }))
        .body,
      { status: "DROP" },
    );
    assert.deepEqual((await deliver(topics.taskUpdated.name, sampleTaskEvent("taskCreated", { actor: "a", task }))).body, {
      status: "DROP",
    });
    const bad = sampleTaskEvent("taskCreated", { actor: "a", task: { ...task, title: "lone \ud800 surrogate" } });
    assert.deepEqual((await deliver(topics.taskCreated.name, bad)).body, { status: "DROP" });
    assert.equal(await count(), n);
    assert.match(await registry.metrics(), /events_dead_lettered_total\{topic="task.created",service="audit"\} 2/);
  });
});

describe("calendar feed changes (calendar-feed.changed)", () => {
  const feed = (userId: string, name = "Tasks") => ({ id: randomUUID(), userId, name, createdAt: "2031-01-01T00:00:00.000Z" });
  const feedEvent = (change: "created" | "revoked", f: ReturnType<typeof feed>, time?: Date) =>
    newCloudEvent({
      topic: topics.calendarFeedChanged.name,
      source: "tasks-api",
      subject: f.id,
      data: { actor: f.userId, change, feed: f },
      ...(time ? { time } : {}),
    });
  const route = topics.calendarFeedChanged.name;

  test("created and revoked are entries of the feed's owner: feedId, no taskId, the feed after / before", async () => {
    const f = feed("fiona", "Work");
    const created = feedEvent("created", f, new Date("2031-01-01T00:00:01Z"));
    const revoked = feedEvent("revoked", f, new Date("2031-01-01T00:00:02Z"));
    for (const ev of [created, revoked, revoked]) assert.deepEqual((await deliver(route, ev)).body, { status: "SUCCESS" });
    const items = (await get("fiona", `feedId=${f.id}`)).json<Page>().items;
    assert.deepEqual(
      items.map((e) => [e.action, e.actor, e.taskId, e.feedId, e.before, e.after, e.eventId]),
      [
        ["feed-revoked", "fiona", null, f.id, f, null, revoked.id],
        ["feed-created", "fiona", null, f.id, null, f, created.id],
      ],
    );
    assert.deepEqual(
      (await get("fiona", "action=feed-created")).json<Page>().items.map((e) => e.eventId),
      [created.id],
    );
    assert.deepEqual((await get("gus", `feedId=${f.id}`)).json<Page>().items, [], "another user sees none of it");
    const bad = await get("fiona", "feedId=nope");
    assert.equal(bad.status, 400);
  });

  test("a feed event that does not match its schema is dropped; fields beyond the feed snapshot (a token) are never stored", async () => {
    const n = await count();
    const f = feed("fiona");
    const unknown = { ...feedEvent("created", f), data: { actor: "fiona", change: "renamed", feed: f } };
    assert.deepEqual((await deliver(route, unknown)).body, { status: "DROP" });
    // A task event on the feed topic, and a feed event on a task topic: both DROP.
    assert.deepEqual((await deliver(route, sampleTaskEvent("taskCreated", { actor: "a", task: sampleTask() }))).body, { status: "DROP" });
    assert.deepEqual((await deliver(topics.taskCreated.name, feedEvent("created", f))).body, { status: "DROP" });
    assert.equal(await count(), n);
    // Extra fields in the feed are not stored: only id, owner, name and creation time.
    const leaky = feedEvent("created", { ...f, token: "tcf_secret" } as ReturnType<typeof feed>);
    assert.deepEqual((await deliver(route, leaky)).body, { status: "SUCCESS" });
    const { rows } = await knex.raw<{ rows: { after: unknown }[] }>("select after from audit_entries where event_id = ?", [leaky.id]);
    assert.deepEqual(rows[0]!.after, f);
  });

  test("the database holds every row to exactly one subject: a task or a feed", async () => {
    const insert = (task: string | null, feedId: string | null) =>
      knex.raw(
        `insert into audit_entries (event_id, user_id, actor, action, task_id, feed_id, occurred_at) values (?, 'x', 'x', 'created', ?, ?, now())`,
        [randomUUID(), task, feedId],
      );
    await assert.rejects(insert(null, null), /audit_entries_one_subject/);
    await assert.rejects(insert(randomUUID(), randomUUID()), /audit_entries_one_subject/);
  });
});

describe("immutability", () => {
  test("the database refuses UPDATE, DELETE and TRUNCATE", async () => {
    assert.ok((await count()) > 0);
    await assert.rejects(knex.raw("update audit_entries set actor = 'mallory'"), /audit_entries is append-only: UPDATE is not allowed/);
    await assert.rejects(knex.raw("delete from audit_entries"), /audit_entries is append-only: DELETE is not allowed/);
    await assert.rejects(knex.raw("truncate audit_entries"), /audit_entries is append-only: TRUNCATE is not allowed/);
    assert.equal((await knex("audit_entries").where({ actor: "mallory" })).length, 0);
  });
});

describe("GET /api/v1/audit", () => {
  const taskA = sampleTask({ userId: "carol" });
  const taskB = sampleTask({ userId: "carol" });
  before(async () => {
    for (let i = 0; i < 12; i++) {
      const task = i % 2 ? taskA : taskB;
      const ev =
        i % 3 === 0
          ? sampleTaskEvent("taskCreated", { actor: "carol", task }, { time: new Date(Date.UTC(2031, 0, 1, 0, i)) })
          : sampleTaskEvent(
              "taskUpdated",
              { actor: "carol", task, before: task, after: task, changed: [] },
              { time: new Date(Date.UTC(2031, 0, 1, 0, i)) },
            );
      await deliver(ev.type === topics.taskCreated.eventType ? topics.taskCreated.name : topics.taskUpdated.name, ev);
    }
    await deliver(topics.taskCreated.name, sampleTaskEvent("taskCreated", { actor: "dave", task: sampleTask({ userId: "dave" }) }));
  });

  test("only the caller's own entries; filters by task, action and time range", async () => {
    assert.equal((await get("carol")).json<Page>().items.length, 12);
    assert.equal((await get("dave")).json<Page>().items.length, 1);
    assert.deepEqual((await get("mallory")).json<Page>().items, []);
    assert.deepEqual((await get("dave", `taskId=${taskA.id}`)).json<Page>().items, [], "another user's task id reveals nothing");
    assert.ok((await get("carol", `taskId=${taskA.id}`)).json<Page>().items.every((e) => e.taskId === taskA.id));
    assert.equal((await get("carol", `taskId=${taskA.id}`)).json<Page>().items.length, 6);
    assert.equal((await get("carol", "action=created")).json<Page>().items.length, 4);
    const range = (await get("carol", "from=2031-01-01T00:03:00Z&to=2031-01-01T00:06:00Z")).json<Page>();
    assert.deepEqual(
      range.items.map((e) => e.occurredAt),
      ["2031-01-01T00:05:00.000Z", "2031-01-01T00:04:00.000Z", "2031-01-01T00:03:00.000Z"],
    );
    assert.equal((await get("carol", `action=updated&taskId=${taskB.id}&from=2031-01-01T00:00:00Z`)).json<Page>().items.length, 4);
  });

  test("paginates newest first without repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Page = (await get("carol", `limit=5${cursor ? `&cursor=${cursor}` : ""}`)).json<Page>();
      seen.push(...page.items.map((e) => e.occurredAt));
      cursor = page.nextCursor;
    } while (cursor);
    assert.equal(seen.length, 12);
    assert.deepEqual(seen, [...seen].sort().reverse());
  });

  test("validation: 400 naming each invalid parameter; 401 without a token", async () => {
    const res = await get("carol", "taskId=nope&action=renamed&from=yesterday&limit=500&extra=1");
    assert.equal(res.status, 400);
    assert.deepEqual((res.json<{ errors: { field: string; message: string }[] }>().errors ?? []).map((e) => e.field).sort(), [
      "query.action",
      "query.extra",
      "query.from",
      "query.limit",
      "query.taskId",
    ]);
    const order = await get("carol", "from=2031-01-02T00:00:00Z&to=2031-01-01T00:00:00Z");
    assert.deepEqual(order.json<{ errors: unknown }>().errors, [{ field: "query.from", message: "from must not be later than to." }]);
    for (const c of ["%%%", "bm9wZQ", Buffer.from(JSON.stringify({ t: "2031-13-01 00:00:00+00", id: "1" })).toString("base64url")]) {
      const bad = await get("carol", `cursor=${c}`);
      assert.deepEqual(
        [bad.status, bad.json<{ errors: unknown }>().errors],
        [400, [{ field: "query.cursor", message: "Invalid cursor." }]],
      );
    }
    assert.equal((await request(app, { url: base })).status, 401);
  });

  test("the outside probe's 500s are 400s: year 0000, offsets beyond ±15:59, tampered cursors (issue 21)", async () => {
    for (const v of ["0000-01-01T00:00:00Z", "2031-01-01T00:00:00+16:00", "2031-01-01T00:00:00-23:59"]) {
      for (const p of ["from", "to"]) {
        const res = await get("carol", `${p}=${encodeURIComponent(v)}`);
        assert.equal(res.status, 400, `${p}=${v}: ${res.status} ${res.text}`);
        assert.deepEqual(
          (res.json<{ errors: { field: string }[] }>().errors ?? []).map((e) => e.field),
          [`query.${p}`],
        );
      }
    }
    const cursors = [
      { t: "0000-01-01 00:00:00+00", id: "1" },
      { t: "2031-01-01 00:00:00+99", id: "1" },
      { t: "2031-01-01 00:00:00+00", id: "-".repeat(36) },
      { t: "2031-01-01 00:00:00+00", id: "99999999999999999999" },
    ];
    for (const c of cursors) {
      const bad = await get("carol", `cursor=${Buffer.from(JSON.stringify(c)).toString("base64url")}`);
      assert.deepEqual(
        [bad.status, bad.json<{ errors: unknown }>().errors],
        [400, [{ field: "query.cursor", message: "Invalid cursor." }]],
        JSON.stringify(c),
      );
    }
  });
});
