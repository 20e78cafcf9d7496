/**
 * The calendar feed against real PostgreSQL: create a feed (token shown once, only its SHA-256 stored),
 * fetch it without any bearer token, parse it back with ical.js and check what a calendar app would read
 * (VEVENT per open task with a due time, RRULE, VALARM, TZID resolved through the feed's own VTIMEZONE,
 * also across a DST change); revocation is immediate; one user's feed never holds another's tasks. The
 * notifications service (default reminders, through Dapr service invocation) is played by a stand-in sidecar
 * answering its acting-user preferences route as notifications does.
 */
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { taskEventSchema, type TaskSnapshot } from "@tasks/shared";
import { actingUserPath, notificationsPreferencesPath, topics } from "@tasks/catalog";
import { request, signTestToken, startFakeSidecar, type FakeSidecar, type RecordedRequest } from "@tasks/shared/testing";
import ICAL from "ical.js";
import { maxFeedsPerUser } from "../src/feed-tokens.js";
import { startHarness, type Harness, type ProblemJson } from "./harness.js";

let h: Harness;
let sidecar: FakeSidecar;
/** notifications' preferences per user (absent = its defaults: reminders on, 60 minutes before). */
const preferences = new Map<string, { remindersEnabled: boolean; defaultReminderMinutes: number | null }>();
/** When set, notifications answers this status (e.g. 500: down). */
let notificationsStatus: number | null = null;
const invokePrefix = "/v1.0/invoke/notifications/method";
const preferenceCalls = (): RecordedRequest[] => sidecar.requests.filter((r) => r.path.startsWith(invokePrefix));

before(async () => {
  sidecar = await startFakeSidecar();
  sidecar.apiToken = "feed-test-api-token";
  sidecar.onRequest = (req, res) => {
    const m = /^\/internal\/users\/([^/]+)(\/.*)$/.exec(req.path.slice(invokePrefix.length));
    if (req.method !== "GET" || !req.path.startsWith(invokePrefix) || !m || m[2] !== notificationsPreferencesPath) return false;
    if (notificationsStatus !== null) {
      res.writeHead(notificationsStatus).end("injected");
      return true;
    }
    const user = decodeURIComponent(m[1]!);
    const prefs = preferences.get(user) ?? { remindersEnabled: true, defaultReminderMinutes: 60 };
    // The whole answer of notifications' GET preferences, of which the tasks API reads two fields.
    const body = { channels: { email: true, inapp: true, push: true }, quietHours: null, timeZone: "UTC", email: null, ...prefs };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
    return true;
  };
  h = await startHarness({ feedRequestsPerMinute: 20, sidecar: { daprHttpUrl: sidecar.url, apiToken: sidecar.apiToken } });
});
after(async () => {
  await h.close();
  await sidecar.close();
});

const feeds = "/api/v1/calendar-feeds";
interface CreatedFeed {
  id: string;
  name: string;
  createdAt: string;
  lastFetchedAt: string | null;
  token: string;
  path: string;
  url: string;
}

async function createTask(user: string, body: Record<string, unknown>): Promise<TaskSnapshot> {
  const res = await h.as(user, { method: "POST", url: "/api/v1/tasks", body });
  assert.equal(res.status, 201, res.text);
  return res.json<TaskSnapshot>();
}

async function createFeed(user: string, name?: string): Promise<CreatedFeed> {
  const res = await h.as(user, { method: "POST", url: feeds, body: name === undefined ? {} : { name } });
  assert.equal(res.status, 201, res.text);
  return res.json<CreatedFeed>();
}

/** The feed as a calendar app fetches it: a plain GET, no Authorization header. */
const fetchFeed = (path: string, headers: Record<string, string> = {}) => request(h.app, { url: path, headers });

const parse = (ics: string) => new ICAL.Component(ICAL.parse(ics));
const events = (cal: ICAL.Component) => cal.getAllSubcomponents("vevent");
const uidOf = (task: TaskSnapshot) => `${task.id}@tasks-platform.calendar`;
const eventOf = (cal: ICAL.Component, task: TaskSnapshot) => {
  const ev = events(cal).find((e) => e.getFirstPropertyValue("uid") === uidOf(task));
  assert.ok(ev, `no VEVENT for ${task.title}`);
  return ev;
};
const startMs = (ev: ICAL.Component) => (ev.getFirstPropertyValue("dtstart") as ICAL.Time).toUnixTime() * 1000;

describe("a user's feed", () => {
  const alice = `alice-${randomUUID()}`;
  let feed: CreatedFeed;
  let weekly: TaskSnapshot;
  let call: TaskSnapshot;
  let tokyo: TaskSnapshot;
  let done: TaskSnapshot;
  let undated: TaskSnapshot;

  before(async () => {
    // Weekly on Mondays at 09:00 Paris time, first due the Monday before the 2031 spring-forward (30 March).
    weekly = await createTask(alice, {
      title: "Water the plants, then; rest",
      description: "Line 1\nLine 2 — ünïcødé",
      priority: "high",
      tags: ["home", "plants"],
      dueAt: "2031-03-24T09:00:00+01:00",
      timeZone: "Europe/Paris",
      reminders: [60, 0],
      recurrence: "FREQ=WEEKLY;BYDAY=MO",
    });
    call = await createTask(alice, {
      title: "Call New York",
      priority: "urgent",
      dueAt: "2031-11-03T10:30:00-05:00",
      timeZone: "America/New_York",
      reminders: [1440],
    });
    tokyo = await createTask(alice, { title: "Tokyo standup", dueAt: "2031-06-01T09:00:00+09:00", timeZone: "Asia/Tokyo" });
    done = await createTask(alice, { title: "Already done", dueAt: "2031-05-01T09:00:00Z", timeZone: "UTC" });
    assert.equal((await h.as(alice, { method: "POST", url: `/api/v1/tasks/${done.id}/complete` })).status, 200);
    undated = await createTask(alice, { title: "Someday" });
    feed = await createFeed(alice, "Alice's tasks");
  });

  test("creation answers 201 with the token once, its path and URL; the list never shows the token", async () => {
    assert.match(feed.token, /^tcf_[A-Za-z0-9_-]{43}$/);
    assert.equal(feed.path, `/calendar/${feed.token}.ics`);
    assert.equal(feed.url, `http://localhost:80${feed.path}`);
    assert.equal(feed.name, "Alice's tasks");
    const list = await h.as(alice, { url: feeds });
    assert.equal(list.status, 200);
    assert.deepEqual(
      list.json<{ items: { id: string }[] }>().items.map((f) => f.id),
      [feed.id],
    );
    assert.ok(!list.text.includes(feed.token), "the list must not show the token");
  });

  test("the token is stored as its SHA-256 only: no column holds the token", async () => {
    const { rows } = await h.knex.raw<{ rows: Record<string, unknown>[] }>("select * from calendar_feeds where id = ?", [feed.id]);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    assert.deepEqual(row.token_hash, createHash("sha256").update(feed.token).digest());
    const text = JSON.stringify(rows, (_k, v: unknown) => (Buffer.isBuffer(v) ? v.toString("latin1") : v));
    assert.ok(!text.includes(feed.token) && !text.includes(feed.token.slice(4)), "the token (or its random part) is in the row");
  });

  test("the feed is served without a bearer token, as text/calendar, one VEVENT per open task with a due time", async () => {
    const res = await fetchFeed(feed.path);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers["content-type"], "text/calendar; charset=utf-8");
    assert.equal(res.headers["cache-control"], "private, no-cache");
    const cal = parse(res.text);
    assert.equal(cal.getFirstPropertyValue("version"), "2.0");
    assert.deepEqual(
      events(cal)
        .map((e) => e.getFirstPropertyValue("uid"))
        .sort(),
      [weekly, call, tokyo].map(uidOf).sort(),
    );
    assert.ok(!res.text.includes(done.id) && !res.text.includes(undated.id), "completed and undated tasks stay out");
    const ev = eventOf(cal, weekly);
    assert.equal(ev.getFirstPropertyValue("summary"), weekly.title);
    assert.equal(ev.getFirstPropertyValue("description"), weekly.description);
    assert.equal(ev.getFirstPropertyValue("priority"), 3);
    assert.deepEqual(ev.getFirstProperty("categories")!.getValues(), ["home", "plants"]);
    assert.equal(ev.getFirstPropertyValue("transp"), "TRANSPARENT");
    assert.equal(eventOf(cal, call).getFirstPropertyValue("priority"), 1);
    for (const line of res.text.split("\r\n")) assert.ok(Buffer.byteLength(line) <= 75, line);
  });

  test("DTSTART carries the task's zone and resolves, through the feed's VTIMEZONE, to the due instant", async () => {
    const cal = parse((await fetchFeed(feed.path)).text);
    assert.deepEqual(
      cal
        .getAllSubcomponents("vtimezone")
        .map((z) => z.getFirstPropertyValue("tzid"))
        .sort(),
      ["America/New_York", "Asia/Tokyo", "Europe/Paris"],
    );
    for (const [task, zone, local] of [
      [weekly, "Europe/Paris", "2031-03-24T09:00:00"],
      [call, "America/New_York", "2031-11-03T10:30:00"],
      [tokyo, "Asia/Tokyo", "2031-06-01T09:00:00"],
    ] as const) {
      const ev = eventOf(cal, task);
      const dtstart = ev.getFirstProperty("dtstart")!;
      assert.equal(dtstart.getParameter("tzid"), zone);
      const time = dtstart.getFirstValue() as ICAL.Time;
      assert.equal(time.toString(), local);
      assert.equal(time.zone?.tzid, zone, "resolved through the feed's own VTIMEZONE");
      assert.equal(startMs(ev), Date.parse(task.dueAt!), `${task.title}: ${new Date(startMs(ev)).toISOString()}`);
    }
  });

  test("RRULE: the weekly task repeats Mondays at 09:00 Paris time, across the spring-forward (08:00Z, then 07:00Z)", async () => {
    const ev = eventOf(parse((await fetchFeed(feed.path)).text), weekly);
    assert.equal(String(ev.getFirstPropertyValue("rrule")), "FREQ=WEEKLY;BYDAY=MO");
    const it = new ICAL.Event(ev).iterator();
    const occurrences: string[] = [];
    for (let next = it.next(); next && occurrences.length < 3; next = it.next()) occurrences.push(next.toJSDate().toISOString());
    assert.deepEqual(occurrences, ["2031-03-24T08:00:00.000Z", "2031-03-31T07:00:00.000Z", "2031-04-07T07:00:00.000Z"]);
  });

  test("VALARM: one display alarm per reminder, the task's minute offsets before the start", async () => {
    const cal = parse((await fetchFeed(feed.path)).text);
    const triggers = (task: TaskSnapshot) =>
      eventOf(cal, task)
        .getAllSubcomponents("valarm")
        .map((a) => {
          assert.equal(a.getFirstPropertyValue("action"), "DISPLAY");
          assert.equal(a.getFirstPropertyValue("description"), task.title);
          return (a.getFirstPropertyValue("trigger") as ICAL.Duration).toSeconds() / 60;
        });
    assert.deepEqual(triggers(weekly), [-60, 0]);
    assert.deepEqual(triggers(call), [-1440]);
    // Reminders not set: the user's default, one hour before (notifications' default preferences).
    assert.deepEqual(triggers(tokyo), [-60]);
  });

  test("an unchanged feed answers 304 to its ETag; a change to a task changes the feed", async () => {
    const first = await fetchFeed(feed.path);
    const etag = String(first.headers.etag);
    assert.equal((await fetchFeed(feed.path, { "if-none-match": etag })).status, 304);
    await h.as(alice, { method: "PATCH", url: `/api/v1/tasks/${tokyo.id}`, body: { title: "Tokyo standup (moved)" } });
    const changed = await fetchFeed(feed.path, { "if-none-match": etag });
    assert.equal(changed.status, 200);
    assert.equal(eventOf(parse(changed.text), tokyo).getFirstPropertyValue("summary"), "Tokyo standup (moved)");
  });

  test("a fetch is recorded as lastFetchedAt", async () => {
    const item = (await h.as(alice, { url: feeds })).json<{ items: CreatedFeed[] }>().items.find((f) => f.id === feed.id)!;
    assert.ok(item.lastFetchedAt && Date.parse(item.lastFetchedAt) >= Date.parse(feed.createdAt));
  });
});

describe("feed created and revoked are events (calendar-feed.changed, for the audit), never with the token", () => {
  const feedEvents = async (feedId: string) =>
    (await h.knex("outbox").where({ aggregate_id: feedId }).orderBy("id").select("topic", "payload")) as {
      topic: string;
      payload: Record<string, unknown> & { data: { actor: string; change: string; feed: Record<string, unknown> } };
    }[];

  test("create and revoke each write one event in their transaction: owner, change, id, name, creation time", async () => {
    const user = `e-${randomUUID()}`;
    const f = await createFeed(user, "Work");
    assert.equal((await h.as(user, { method: "DELETE", url: `${feeds}/${f.id}` })).status, 204);
    const evs = await feedEvents(f.id);
    assert.deepEqual(
      evs.map((e) => [e.topic, e.payload.type, e.payload.subject, e.payload.source, e.payload.data]),
      ["created", "revoked"].map((change) => [
        topics.calendarFeedChanged.name,
        topics.calendarFeedChanged.eventType,
        f.id,
        "tasks-api",
        { actor: user, change, feed: { id: f.id, userId: user, name: "Work", createdAt: f.createdAt } },
      ]),
    );
    for (const e of evs) assert.equal(taskEventSchema("calendarFeedChanged").safeParse(e.payload).success, true);
    // Neither the token, its random part, nor its SHA-256 (hex, base64, base64url) is in any event.
    const hash = createHash("sha256").update(f.token).digest();
    const text = JSON.stringify(evs);
    for (const secret of [f.token, f.token.slice(4), hash.toString("hex"), hash.toString("base64"), hash.toString("base64url")])
      assert.ok(!text.includes(secret), "an event holds the token or its hash");
  });

  test("a revoke that finds nothing (another user's feed, twice) and a refused creation write no event", async () => {
    const [owner, other] = [`e-${randomUUID()}`, `e-${randomUUID()}`];
    const f = await createFeed(owner);
    assert.equal((await h.as(other, { method: "DELETE", url: `${feeds}/${f.id}` })).status, 404);
    assert.deepEqual(
      (await feedEvents(f.id)).map((e) => e.payload.data.change),
      ["created"],
    );
    await h.as(owner, { method: "DELETE", url: `${feeds}/${f.id}` });
    assert.equal((await h.as(owner, { method: "DELETE", url: `${feeds}/${f.id}` })).status, 404);
    assert.deepEqual(
      (await feedEvents(f.id)).map((e) => e.payload.data.change),
      ["created", "revoked"],
    );
    const full = `e-${randomUUID()}`;
    for (let i = 0; i < maxFeedsPerUser; i++) await createFeed(full);
    const before = Number((await h.knex("outbox").count<{ n: string }[]>("* as n"))[0]!.n);
    assert.equal((await h.as(full, { method: "POST", url: feeds, body: {} })).status, 409);
    assert.equal(Number((await h.knex("outbox").count<{ n: string }[]>("* as n"))[0]!.n), before);
  });
});

describe("VALARMs are the reminders the user gets", () => {
  const triggersByTitle = async (path: string): Promise<Record<string, number[]>> => {
    const res = await fetchFeed(path);
    assert.equal(res.status, 200, res.text);
    return Object.fromEntries(
      events(parse(res.text)).map((ev) => [
        String(ev.getFirstPropertyValue("summary")),
        ev.getAllSubcomponents("valarm").map((a) => (a.getFirstPropertyValue("trigger") as ICAL.Duration).toSeconds() / 60),
      ]),
    );
  };
  const due = { dueAt: "2031-02-03T09:00:00Z", timeZone: "Europe/Paris" };

  test("explicit list: those; not set: the user's default from notifications (here 15 min); []: none", async () => {
    const user = `d-${randomUUID()}`;
    preferences.set(user, { remindersEnabled: true, defaultReminderMinutes: 15 });
    await createTask(user, { title: "own", ...due, reminders: [30, 5] });
    await createTask(user, { title: "unset", ...due });
    await createTask(user, { title: "none", ...due, reminders: [] });
    const f = await createFeed(user);
    const before = preferenceCalls().length;
    assert.deepEqual(await triggersByTitle(f.path), { own: [-30, -5], unset: [-15], none: [] });
    // Asked through Dapr service invocation, with Dapr's API token, for this user only.
    const calls = preferenceCalls().slice(before);
    assert.deepEqual(
      calls.map((c) => [c.method, c.path, c.headers["dapr-api-token"]]),
      [["GET", `${invokePrefix}${actingUserPath(user, notificationsPreferencesPath)}`, sidecar.apiToken]],
    );
    // A change of the default shows on the next fetch.
    preferences.set(user, { remindersEnabled: true, defaultReminderMinutes: 0 });
    assert.deepEqual((await triggersByTitle(f.path)).unset, [0]);
  });

  test("no default reminder (null) or reminders turned off: no VALARM for tasks whose reminders are not set", async () => {
    for (const prefs of [
      { remindersEnabled: true, defaultReminderMinutes: null },
      { remindersEnabled: false, defaultReminderMinutes: 60 },
    ]) {
      const user = `n-${randomUUID()}`;
      preferences.set(user, prefs);
      await createTask(user, { title: "unset", ...due });
      await createTask(user, { title: "own", ...due, reminders: [10] });
      assert.deepEqual(await triggersByTitle((await createFeed(user)).path), { unset: [], own: [-10] }, JSON.stringify(prefs));
    }
  });

  test("notifications unreachable: 503 problem+json with Retry-After; a feed that needs no default is served without asking", async () => {
    const user = `u-${randomUUID()}`;
    await createTask(user, { title: "unset", ...due });
    const needs = await createFeed(user);
    const other = `o-${randomUUID()}`;
    await createTask(other, { title: "own", ...due, reminders: [10] });
    await createTask(other, { title: "none", ...due, reminders: [] });
    const needsNone = await createFeed(other);
    notificationsStatus = 500;
    try {
      const res = await fetchFeed(needs.path);
      assert.equal(res.status, 503, res.text);
      assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
      assert.equal(res.headers["retry-after"], "60");
      const before = preferenceCalls().length;
      assert.deepEqual(await triggersByTitle(needsNone.path), { own: [-10], none: [] });
      assert.equal(preferenceCalls().length, before, "no call to notifications when no task needs the default");
    } finally {
      notificationsStatus = null;
    }
    assert.deepEqual(await triggersByTitle(needs.path), { unset: [-60] });
  });
});

describe("isolation, revocation, bad tokens", () => {
  test("user B's feed never contains A's tasks, and B cannot list or revoke A's feed", async () => {
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    const markA = `only-a-${randomUUID()}`;
    const markB = `only-b-${randomUUID()}`;
    const taskA = await createTask(a, { title: markA, description: markA, dueAt: "2031-01-01T10:00:00Z", timeZone: "Europe/Paris" });
    const taskB = await createTask(b, { title: markB, dueAt: "2031-01-02T10:00:00Z", timeZone: "Europe/Paris" });
    const feedA = await createFeed(a);
    const feedB = await createFeed(b);
    const bodyB = (await fetchFeed(feedB.path)).text;
    assert.ok(bodyB.includes(markB) && !bodyB.includes(markA) && !bodyB.includes(taskA.id));
    const bodyA = (await fetchFeed(feedA.path)).text;
    assert.ok(bodyA.includes(markA) && !bodyA.includes(markB) && !bodyA.includes(taskB.id));
    assert.deepEqual(
      (await h.as(b, { url: feeds })).json<{ items: { id: string }[] }>().items.map((f) => f.id),
      [feedB.id],
    );
    const stolen = await h.as(b, { method: "DELETE", url: `${feeds}/${feedA.id}` });
    assert.equal(stolen.status, 404);
    assert.equal((await fetchFeed(feedA.path)).status, 200, "A's feed survives B's attempt");
  });

  test("revocation is immediate: the next fetch is a 404, a second revoke too", async () => {
    const user = `r-${randomUUID()}`;
    await createTask(user, { title: "x", dueAt: "2031-01-01T10:00:00Z", timeZone: "UTC" });
    const f = await createFeed(user);
    assert.equal((await fetchFeed(f.path)).status, 200);
    assert.equal((await h.as(user, { method: "DELETE", url: `${feeds}/${f.id}` })).status, 204);
    const gone = await fetchFeed(f.path);
    assert.equal(gone.status, 404);
    assert.equal(gone.json<ProblemJson>().detail, "Calendar feed not found.");
    assert.equal((await h.as(user, { method: "DELETE", url: `${feeds}/${f.id}` })).status, 404);
    assert.deepEqual((await h.as(user, { url: feeds })).json<{ items: unknown[] }>().items, []);
  });

  test("bad tokens are 404s: malformed, unknown, another feed's token with one character changed; a bearer JWT opens nothing", async () => {
    const user = `t-${randomUUID()}`;
    const f = await createFeed(user);
    const flipped = f.token.slice(0, -1) + (f.token.endsWith("A") ? "B" : "A");
    for (const path of [
      "/calendar/nope.ics",
      `/calendar/tcf_${"A".repeat(43)}.ics`,
      `/calendar/${flipped}.ics`,
      `/calendar/${f.token}`,
      "/calendar/",
    ]) {
      const res = await fetchFeed(path);
      assert.equal(res.status, 404, path);
    }
    const withJwt = await request(h.app, { url: `/calendar/tcf_${"B".repeat(43)}.ics`, token: await signTestToken(user) });
    assert.equal(withJwt.status, 404);
  });

  test("managing feeds needs the bearer JWT; the name is checked; at most 10 feeds per user", async () => {
    assert.equal((await request(h.app, { method: "POST", url: feeds, body: {} })).status, 401);
    assert.equal((await request(h.app, { url: feeds })).status, 401);
    const user = `m-${randomUUID()}`;
    const bad = await h.as(user, { method: "POST", url: feeds, body: { name: "x".repeat(101) } });
    assert.equal(bad.status, 400);
    assert.deepEqual(
      bad.json<ProblemJson>().errors!.map((e) => e.field),
      ["name"],
    );
    assert.equal((await h.as(user, { method: "POST", url: feeds, body: { extra: 1 } })).status, 400);
    const created = await Promise.all(
      Array.from({ length: maxFeedsPerUser + 2 }, () => h.as(user, { method: "POST", url: feeds, body: {} })),
    );
    assert.deepEqual(created.map((r) => r.status).sort(), [...Array<number>(maxFeedsPerUser).fill(201), 409, 409]);
    assert.equal((await h.as(user, { url: feeds })).json<{ items: unknown[] }>().items.length, maxFeedsPerUser);
  });

  test("fetches are rate-limited per feed URL: 429 with Retry-After past the limit, other feeds unaffected", async () => {
    const user = `l-${randomUUID()}`;
    const [f1, f2] = [await createFeed(user), await createFeed(user)];
    // The windows are calendar minutes: start well inside one.
    const left = 60_000 - (Date.now() % 60_000);
    if (left < 10_000) await new Promise((r) => setTimeout(r, left + 100));
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) statuses.push((await fetchFeed(f1.path)).status);
    assert.deepEqual(statuses, [...Array<number>(20).fill(200), 429]);
    const limited = await fetchFeed(f1.path);
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers["retry-after"]) >= 1);
    assert.equal((await fetchFeed(f2.path)).status, 200);
  });
});
