/**
 * The notifications API against real PostgreSQL: pagination, unread count, read/read-all/clear,
 * preferences, push subscriptions, archival by the cron binding, and cross-user isolation on every
 * route (user B never sees or changes user A's rows).
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, beforeEach, describe, test } from "node:test";
import { actingUserPath, notificationsPreferencesPath } from "@tasks/catalog";
import type { Knex } from "@tasks/shared";
import { request, signTestToken, daprHeaders } from "@tasks/shared/testing";
import type { Express } from "express";
import webpush from "web-push";
import { archiveRoute, basePath } from "../src/index.js";
import { startNotificationsTestApp, type NotificationsTestApp } from "./support/app.js";

let notifications: NotificationsTestApp;
let db: Knex;
let app: Express;
let tokenA: string;
let tokenB: string;
const NOW = Date.parse("2025-06-30T12:00:00Z");
const vapid = webpush.generateVAPIDKeys();

before(async () => {
  notifications = await startNotificationsTestApp("notif_api", {
    push: { publicKey: vapid.publicKey, send: async () => assert.fail("no push in API tests") },
    now: () => NOW,
  });
  ({ app, db } = notifications);
  tokenA = await signTestToken("user-a");
  tokenB = await signTestToken("user-b");
});
after(() => notifications.close());
beforeEach(() => db.raw("truncate notifications, notifications_archive, preferences, push_subscriptions"));

/** Inserts `n` notifications for a user, one minute apart, newest last; returns their ids newest first. */
async function seed(userId: string, n: number, start = NOW - 60 * 60_000): Promise<string[]> {
  const rows = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    user_id: userId,
    title: `T${i}`,
    body: `B${i}`,
    created_at: new Date(start + i * 60_000),
  }));
  if (rows.length) await db("notifications").insert(rows);
  return rows.reverse().map((r) => r.id);
}

const api = (method: "GET" | "POST" | "PATCH" | "DELETE", path: string, token?: string, body?: unknown) =>
  request(app, { method, url: `${basePath}${path}`, ...(token ? { token } : {}), ...(body !== undefined ? { body } : {}) });

describe("authentication", () => {
  for (const [method, path] of [
    ["GET", ""],
    ["GET", "/unread-count"],
    ["POST", "/read-all"],
    ["DELETE", ""],
    ["GET", "/preferences"],
    ["PATCH", "/preferences"],
    ["POST", "/push-subscriptions"],
    ["GET", "/push/public-key"],
    ["POST", `/${randomUUID()}/read`],
  ] as const) {
    test(`${method} ${basePath}${path} without a token is 401 problem+json`, async () => {
      const res = await api(method, path, undefined, method === "GET" ? undefined : {});
      assert.equal(res.status, 401);
      assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
    });
  }
});

describe("listing", () => {
  test("is newest first, keyset-paginated, and stable when rows arrive between pages", async () => {
    const ids = await seed("user-a", 25);
    await seed("user-b", 3);
    const p1 = await api("GET", "?limit=10", tokenA);
    const b1 = p1.body as { items: { id: string }[]; nextCursor: string };
    assert.deepEqual(
      b1.items.map((i) => i.id),
      ids.slice(0, 10),
    );
    await seed("user-a", 2, NOW); // newer rows must not shift the next page
    const p2 = await api("GET", `?limit=10&cursor=${b1.nextCursor}`, tokenA);
    const b2 = p2.body as { items: { id: string }[]; nextCursor: string };
    assert.deepEqual(
      b2.items.map((i) => i.id),
      ids.slice(10, 20),
    );
    const p3 = await api("GET", `?limit=10&cursor=${b2.nextCursor}`, tokenA);
    assert.equal((p3.body as { nextCursor: string | null }).nextCursor, null);
    assert.deepEqual(
      (p3.body as { items: { id: string }[] }).items.map((i) => i.id),
      ids.slice(20),
    );
  });

  test("bad query parameters name each field", async () => {
    const res = await api("GET", "?limit=0&cursor=%%%&color=red", tokenA);
    assert.equal(res.status, 400);
    assert.deepEqual((res.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort(), ["query.color", "query.limit"]);
    const bad = await api("GET", "?cursor=bm90LWEtY3Vyc29y", tokenA);
    assert.deepEqual((bad.body as { errors: unknown }).errors, [{ field: "query.cursor", message: "Invalid cursor." }]);
  });

  test("tampered cursors from the outside probe are 400s, not failed casts (issue 21)", async () => {
    await seed("user-a", 3);
    const cursors = [
      { createdAt: "2025-06-30T11:00:00.000Z", id: "-".repeat(36) },
      { createdAt: "0000-01-01T00:00:00Z", id: randomUUID() },
      { createdAt: "2025-06-30T11:00:00+16:00", id: randomUUID() },
      { createdAt: "1", id: randomUUID() },
      { createdAt: "2025-06-30T11:00:00.000Z", id: randomUUID(), extra: 1 },
    ];
    for (const c of cursors) {
      const res = await api("GET", `?cursor=${Buffer.from(JSON.stringify(c)).toString("base64url")}`, tokenA);
      assert.deepEqual(
        [res.status, (res.body as { errors: unknown }).errors],
        [400, [{ field: "query.cursor", message: "Invalid cursor." }]],
        JSON.stringify(c),
      );
    }
    const page = await api("GET", "?limit=1", tokenA);
    const next = await api("GET", `?limit=1&cursor=${(page.body as { nextCursor: string }).nextCursor}`, tokenA);
    assert.equal(next.status, 200, "a real cursor still works");
  });

  test("unread filter and count", async () => {
    const ids = await seed("user-a", 4);
    await db("notifications")
      .where({ id: ids[0] })
      .update({ read_at: new Date(NOW) });
    assert.deepEqual((await api("GET", "/unread-count", tokenA)).body, { count: 3 });
    assert.equal(((await api("GET", "?unread=true", tokenA)).body as { items: unknown[] }).items.length, 3);
  });
});

describe("cross-user isolation", () => {
  test("B lists, counts and pages only B's rows", async () => {
    await seed("user-a", 5);
    const mine = await seed("user-b", 2);
    assert.deepEqual(
      ((await api("GET", "", tokenB)).body as { items: { id: string }[] }).items.map((i) => i.id),
      mine,
    );
    assert.deepEqual((await api("GET", "/unread-count", tokenB)).body, { count: 2 });
  });

  test("B cannot mark A's notification read (404) and A's stays unread", async () => {
    const [a] = await seed("user-a", 1);
    const res = await api("POST", `/${a}/read`, tokenB);
    assert.equal(res.status, 404);
    assert.equal((res.body as { detail: string }).detail, "No such notification.");
    assert.deepEqual((await api("GET", "/unread-count", tokenA)).body, { count: 1 });
    assert.equal((await api("POST", `/${a}/read`, tokenA)).status, 204);
    assert.deepEqual((await api("GET", "/unread-count", tokenA)).body, { count: 0 });
  });

  test("B's read-all and clear leave A's rows alone", async () => {
    await seed("user-a", 3);
    await seed("user-b", 2);
    assert.deepEqual((await api("POST", "/read-all", tokenB)).body, { updated: 2 });
    assert.deepEqual((await api("GET", "/unread-count", tokenA)).body, { count: 3 });
    assert.deepEqual((await api("DELETE", "", tokenB)).body, { deleted: 2 });
    assert.equal(((await api("GET", "", tokenA)).body as { items: unknown[] }).items.length, 3);
    assert.deepEqual((await api("DELETE", "", tokenA)).body, { deleted: 3 });
  });

  test("preferences are per user", async () => {
    await api("PATCH", "/preferences", tokenA, { email: "a@example.test", quietHours: { start: "22:00", end: "07:00" } });
    const b = (await api("GET", "/preferences", tokenB)).body as { email: string | null; quietHours: unknown };
    assert.equal(b.email, null);
    assert.equal(b.quietHours, null);
  });

  test("B cannot delete A's push subscription", async () => {
    const created = await api("POST", "/push-subscriptions", tokenA, {
      endpoint: "https://push.example.test/a",
      keys: { p256dh: "B".repeat(87), auth: "A".repeat(22) },
    });
    assert.equal(created.status, 201);
    const { id } = created.body as { id: string };
    assert.equal((await api("DELETE", `/push-subscriptions/${id}`, tokenB)).status, 404);
    assert.equal((await db("push_subscriptions").where({ id }).count<{ c: string }[]>({ c: "*" }))[0]?.c, "1");
    assert.equal((await api("DELETE", `/push-subscriptions/${id}`, tokenA)).status, 204);
  });
});

describe("preferences", () => {
  test("defaults, then a partial patch keeps the other fields", async () => {
    assert.deepEqual((await api("GET", "/preferences", tokenA)).body, {
      channels: { email: true, inapp: true, push: true },
      remindersEnabled: true,
      quietHours: null,
      timeZone: "UTC",
      defaultReminderMinutes: 60,
      email: null,
    });
    await api("PATCH", "/preferences", tokenA, { channels: { push: false }, timeZone: "Australia/Lord_Howe", defaultReminderMinutes: 15 });
    const res = await api("PATCH", "/preferences", tokenA, { remindersEnabled: false, quietHours: { start: "21:30", end: "06:45" } });
    assert.deepEqual(res.body, {
      channels: { email: true, inapp: true, push: false },
      remindersEnabled: false,
      quietHours: { start: "21:30", end: "06:45" },
      timeZone: "Australia/Lord_Howe",
      defaultReminderMinutes: 15,
      email: null,
    });
    assert.deepEqual((await api("PATCH", "/preferences", tokenA, { quietHours: null })).body, {
      ...(res.body as object),
      quietHours: null,
    });
  });

  test("invalid fields are named", async () => {
    const res = await api("PATCH", "/preferences", tokenA, {
      timeZone: "Mars/Base",
      quietHours: { start: "25:00", end: "7" },
      email: "nope",
      defaultReminderMinutes: -5,
      volume: 11,
    });
    assert.equal(res.status, 400);
    assert.deepEqual((res.body as { errors: { field: string; message: string }[] }).errors.map((e) => e.field).sort(), [
      "defaultReminderMinutes",
      "email",
      "quietHours.end",
      "quietHours.start",
      "timeZone",
      "volume",
    ]);
    assert.ok(
      (res.body as { errors: { field: string; message: string }[] }).errors.some(
        (e) => e.field === "timeZone" && e.message === "Unknown IANA time zone.",
      ),
    );
  });
});

describe("the tasks API reads a user's preferences (calendar feed VALARMs), acting for that user", () => {
  const asCaller = (caller: string, user: string, method: "GET" | "PATCH" = "GET") =>
    request(app, {
      method,
      url: actingUserPath(user, notificationsPreferencesPath),
      headers: { ...daprHeaders, "dapr-caller-app-id": caller },
      ...(method === "PATCH" ? { body: { defaultReminderMinutes: 1 } } : {}),
    });

  test("GET through Dapr from tasks-api answers the named user's preferences, exactly as the public route", async () => {
    await api("PATCH", "/preferences", tokenA, { defaultReminderMinutes: 15 });
    const res = await asCaller("tasks-api", "user-a");
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, (await api("GET", "/preferences", tokenA)).body);
    assert.equal((res.body as { defaultReminderMinutes: number }).defaultReminderMinutes, 15);
    // Another user: their own (the defaults), never user-a's.
    assert.equal(((await asCaller("tasks-api", "user-b")).body as { defaultReminderMinutes: number }).defaultReminderMinutes, 60);
  });

  test("only GET, only for tasks-api (and the catalog's other callers of this path): PATCH or another caller is 403", async () => {
    assert.equal((await asCaller("tasks-api", "user-a", "PATCH")).status, 403);
    assert.equal((await asCaller("audit", "user-a")).status, 403);
    assert.equal((await asCaller("mcp", "user-a")).status, 403);
    const noAppToken = await request(app, {
      url: actingUserPath("user-a", notificationsPreferencesPath),
      headers: { "dapr-caller-app-id": "tasks-api" },
    });
    assert.equal(noAppToken.status, 401);
  });
});

describe("push subscriptions", () => {
  test("the VAPID public key the sender signs with is served to any signed-in user", async () => {
    for (const token of [tokenA, tokenB]) {
      const res = await api("GET", "/push/public-key", token);
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { publicKey: vapid.publicKey });
    }
  });

  test("registering twice refreshes the keys (200), an http endpoint or bad keys are rejected", async () => {
    const sub = { endpoint: "https://push.example.test/x", keys: { p256dh: "B".repeat(87), auth: "A".repeat(22) } };
    assert.equal((await api("POST", "/push-subscriptions", tokenA, sub)).status, 201);
    assert.equal((await api("POST", "/push-subscriptions", tokenA, { ...sub, keys: { ...sub.keys, auth: "C".repeat(22) } })).status, 200);
    assert.equal((await db("push_subscriptions").where({ user_id: "user-a" }).first()).auth, "C".repeat(22));
    const bad = await api("POST", "/push-subscriptions", tokenA, {
      endpoint: "http://push.example.test/x",
      keys: { p256dh: "short", auth: "A".repeat(22) },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual((bad.body as { errors: { field: string }[] }).errors.map((e) => e.field).sort(), ["endpoint", "keys.p256dh"]);
  });
});

describe(`archival (POST ${archiveRoute}, the cron binding)`, () => {
  test("moves notifications older than 30 days to the archive and keeps newer ones", async () => {
    const old = await seed("user-a", 2, NOW - 40 * 86_400_000);
    const boundary = await seed("user-b", 1, NOW - 30 * 86_400_000 + 1000);
    const recent = await seed("user-a", 1, NOW - 86_400_000);
    assert.equal((await request(app, { method: "OPTIONS", url: archiveRoute, headers: daprHeaders })).status, 200);
    assert.equal(
      (await request(app, { method: "POST", url: archiveRoute, body: {} })).status,
      401,
      "the cron binding route needs the app token",
    );
    const res = await request(app, { method: "POST", url: archiveRoute, body: {}, headers: daprHeaders });
    assert.deepEqual(res.body, { archived: 2 });
    assert.deepEqual((await db("notifications_archive").pluck("id")).sort(), [...old].sort());
    assert.deepEqual((await db("notifications").pluck("id")).sort(), [...boundary, ...recent].sort());
    assert.deepEqual((await request(app, { method: "POST", url: archiveRoute, body: {}, headers: daprHeaders })).body, { archived: 0 });
  });
});
