/**
 * Network faults with Toxiproxy (startPlatform's `networkFaults`: each daprd → Kafka and each service →
 * Postgres through its own proxy). Each scenario runs a small workload of one user (recurring tasks
 * created and completed, tasks with a reminder a few seconds ahead) under a fault, lifts the fault, and
 * asserts recovery within a bound with exactly-once effects: one next occurrence per completed series, one
 * audit entry per event the outbox published, one email per reminder. It prints the recovery time:
 * from the fault's end (or, for faults left on through the workload, from the workload's last request)
 * until every event-driven effect is in place (next occurrences, outbox drained, audit entries); the
 * reminder emails, due 20-30 s after the workload starts, are awaited after that and counted.
 *
 * The workload is a client that retries as the API asks: on 503 (a service answers it with Retry-After when
 * its database connection fails: apps/shared/src/transient-db.ts), 502/504 or a network error, after
 * Retry-After, for up to a minute; never on a 500, so a fault surfacing as an unexpected error fails the
 * test. tasks-api has no idempotency key on create, so a retried create first looks up whether the previous
 * attempt landed (each task has a unique title) and takes that task instead of creating another; the
 * assertions then count what landed: exactly one task per title.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import type pg from "pg";
import { allServices } from "@tasks/catalog";
import type { NetworkFaults } from "@tasks/dev-platform/dev-toxiproxy";
import { connectServiceDb, eventually, useTestPlatform } from "./helpers.js";

let faults: NetworkFaults;
let tasksDb: pg.Client;
let auditDb: pg.Client;
const results: string[] = [];

const platform = useTestPlatform({
  networkFaults: true,
  setUp: async (p) => {
    faults = p.faults!;
    [tasksDb, auditDb] = await Promise.all([connectServiceDb(p, "tasks-api"), connectServiceDb(p, "audit")]);
    // Warm-up without a fault: every consumer group assigned, so the scenarios measure the fault, not the start.
    const w = await workload({ recurring: 1, reminders: 0 });
    await eventually("the warm-up's effects", 120_000, async () => (complete(await effects(w), 1) ? true : undefined));
  },
  tearDown: async () => {
    if (results.length) process.stderr.write(`\nnetwork faults:\n${results.join("\n")}\n`);
    await Promise.all([tasksDb?.end(), auditDb?.end()]);
  },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tasksUrl = () => `${platform().services["tasks-api"].url}/api/v1/tasks`;
const kafkaProxies = () => allServices.map((s) => `kafka-${s.name}`);
const postgresProxies = () => Object.keys(faults.proxies).filter((p) => p.startsWith("postgres-"));

/** What the workload's retries met: 503 answers (with Retry-After), other retried statuses, network errors, creates found landed. */
const retries = { unavailable: 0, otherStatus: 0, network: 0, landed: 0 };
const retryableStatus = new Set([502, 503, 504]);

async function call<T>(
  url: string,
  token: string,
  init: { method?: string; body?: unknown },
): Promise<{ status: number; body: T; retryAfter?: string }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  if (res.status === 500) assert.fail(`${init.method ?? "GET"} ${url}: 500 ${text}\n${serviceLogLines(text)}`);
  if (res.status === 503) {
    // The services' answer to a transient database error: problem+json with Retry-After.
    assert.match(String(res.headers.get("content-type")), /^application\/problem\+json/, `503 without problem+json: ${text}`);
    assert.ok(res.headers.get("retry-after"), `503 without Retry-After: ${text}`);
  }
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, retryAfter: res.headers.get("retry-after") ?? undefined };
}

/** The services' log lines of a problem body's correlation id (the platform's work dir holds every process's log). */
function serviceLogLines(problem: string): string {
  const id = /"correlationId":"([0-9a-f]+)"/.exec(problem)?.[1];
  if (!id) return "";
  const files = readdirSync(platform().workDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".log"));
  return files
    .flatMap((f) =>
      readFileSync(path.join(platform().workDir, f), "utf8")
        .split("\n")
        .filter((l) => l.includes(id))
        .map((l) => `${f}: ${l}`),
    )
    .join("\n")
    .slice(0, 4000);
}

/**
 * A user's request, retried as a client would on 503/502/504 or a network error (Retry-After, else a backoff),
 * for up to a minute. `landed` makes a retried create idempotent: before each retry it looks for what the
 * previous attempt may have created, and returns that as the answer.
 */
async function request<T>(
  url: string,
  token: string,
  init: { method?: string; body?: unknown } = {},
  landed?: () => Promise<T | undefined>,
): Promise<{ status: number; body: T }> {
  const deadline = Date.now() + 60_000;
  for (let attempt = 1; ; attempt++) {
    let answer: { status: number; body: T; retryAfter?: string } | undefined;
    let error: unknown;
    try {
      answer = await call<T>(url, token, init);
    } catch (err) {
      error = err;
    }
    if (answer && !retryableStatus.has(answer.status)) return answer;
    if (Date.now() > deadline) {
      if (answer) return answer;
      throw error;
    }
    if (answer?.status === 503) retries.unavailable++;
    else if (answer) retries.otherStatus++;
    else retries.network++;
    const wait = answer?.retryAfter ? Number(answer.retryAfter) * 1000 : Math.min(2_000, 250 * attempt);
    await sleep(wait);
    if (landed) {
      const found = await landed();
      if (found !== undefined) {
        retries.landed++;
        return { status: 201, body: found };
      }
    }
  }
}

/** The user's task with exactly this title, if one landed (the list's full-text search, then an exact match). */
async function findByTitle(token: string, title: string): Promise<{ id: string } | undefined> {
  const r = await request<{ items: { id: string; title: string }[] }>(`${tasksUrl()}?q=${encodeURIComponent(title)}&limit=10`, token);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.items.find((t) => t.title === title);
}

/** Creates a task once: a retry after an ambiguous failure takes the task the failed attempt created, if any. */
async function createOnce<T extends { id: string }>(token: string, body: { title: string } & Record<string, unknown>) {
  return request<T>(tasksUrl(), token, { body }, async () => (await findByTitle(token, body.title)) as T | undefined);
}

/**
 * Lifts every fault after `ms`: `lifted` resolves with the time it happened. `cancel` lifts them at once if
 * the timer has not fired, or waits for the lift under way; either way nothing is left to fire later.
 */
function liftAfter(ms: number): { lifted: Promise<number>; cancel: () => Promise<void> } {
  let timer: NodeJS.Timeout | undefined;
  let started: Promise<number> | undefined;
  const lifted = new Promise<number>((resolve, reject) => {
    timer = setTimeout(() => {
      started = faults.reset().then(() => Date.now());
      started.then(resolve, reject);
    }, ms);
  });
  lifted.catch(() => {}); // awaited by the scenario or by cancel
  return {
    lifted,
    cancel: async () => {
      clearTimeout(timer);
      if (started) await started.catch(() => {});
      else await faults.reset();
    },
  };
}

/** Runs `fn` over 0..n-1 with `width` calls in flight. */
async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

interface Workload {
  readonly user: string;
  /** Reminder task titles: each must get exactly one email. */
  readonly reminderTitles: readonly string[];
  /** How long the workload's requests took (under the fault). */
  readonly ms: number;
  /** When the reminders are due (epoch ms). */
  readonly reminderAt: number;
}

/**
 * One user's traffic: `recurring` daily series created and completed, `reminders` tasks whose reminder is
 * due ~`reminderInMs` from now, `plain` one-off tasks created (the outbox burst).
 */
async function workload(opts: { recurring: number; reminders: number; plain?: number; reminderInMs?: number }): Promise<Workload> {
  const t0 = Date.now();
  const user = `net-${randomBytes(4).toString("hex")}`;
  const token = await platform().token(user);
  const address = `${user}@example.test`;
  const prefs = await request(`${platform().services.notifications.url}/api/v1/notifications/preferences`, token, {
    method: "PATCH",
    body: { email: address },
  });
  assert.equal(prefs.status, 200, JSON.stringify(prefs.body));
  const reminderTitles = Array.from({ length: opts.reminders }, () => `remind-${randomBytes(5).toString("hex")}`);
  // The reminder is due well after the workload, so a slowed task.created still schedules it in time.
  const reminderAt = Date.now() + (opts.reminderInMs ?? 20_000);
  const dueAt = new Date(reminderAt + 60_000).toISOString();
  await pool(opts.reminders, 4, async (i) => {
    const r = await createOnce(token, { title: reminderTitles[i]!, dueAt, timeZone: "UTC", reminders: [1] });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  const run = randomBytes(3).toString("hex");
  await pool(opts.plain ?? 0, 16, async (i) => {
    const r = await createOnce(token, {
      title: `burst-${run}-${i}`,
      priority: (["low", "medium", "high", "urgent"] as const)[i % 4],
      tags: ["burst"],
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  await pool(opts.recurring, 8, async (i) => {
    const r = await createOnce(token, {
      title: `daily-${run}-${i}`,
      dueAt: "2027-01-04T09:00:00-05:00",
      timeZone: "America/New_York",
      recurrence: "FREQ=DAILY",
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const done = await request(`${tasksUrl()}/${r.body.id}/complete`, token, { method: "POST" });
    // 409: a retry of a completion that had landed.
    assert.ok(done.status === 200 || done.status === 409, `complete: ${done.status} ${JSON.stringify(done.body)}`);
  });
  return { user, reminderTitles, ms: Date.now() - t0, reminderAt };
}

interface Effects {
  /** Completed series (originals) and the next occurrences that exist, in total and per series. */
  readonly completedSeries: number;
  readonly nextOccurrences: number;
  readonly seriesWithNext: number;
  /** Events the outbox holds for the user's tasks, those not yet published, and the audit entries. */
  readonly events: number;
  readonly unsent: number;
  readonly audited: number;
  /** Emails per reminder title. */
  readonly emails: readonly number[];
  /** Titles the user created more than once (a retried create that landed twice). */
  readonly duplicateTitles: number;
}

async function effects(w: Workload): Promise<Effects> {
  const series = await tasksDb.query<{ completed: string; next: string; series: string }>(
    `select count(*) filter (where series_id is null and recurrence is not null and status = 'completed') as completed,
            count(*) filter (where series_id is not null) as next,
            count(distinct series_id) as series
       from tasks where user_id = $1`,
    [w.user],
  );
  const outbox = await tasksDb.query<{ events: string; unsent: string }>(
    `select count(*) as events, count(*) filter (where o.sent_at is null) as unsent
       from outbox o join tasks t on t.id = o.aggregate_id where t.user_id = $1`,
    [w.user],
  );
  const audit = await auditDb.query<{ n: string }>("select count(*) as n from audit_entries where user_id = $1", [w.user]);
  const dupes = await tasksDb.query<{ n: string }>(
    `select count(*) as n from (select title from tasks where user_id = $1 and series_id is null group by title having count(*) > 1) d`,
    [w.user],
  );
  const s = series.rows[0]!;
  return {
    completedSeries: Number(s.completed),
    nextOccurrences: Number(s.next),
    seriesWithNext: Number(s.series),
    events: Number(outbox.rows[0]!.events),
    unsent: Number(outbox.rows[0]!.unsent),
    audited: Number(audit.rows[0]!.n),
    emails: w.reminderTitles.map((t) => platform().smtp.messages.filter((m) => m.raw.includes(t)).length),
    duplicateTitles: Number(dupes.rows[0]!.n),
  };
}

/** The event-driven effects (emails come on their own schedule: checked after, against the reminder time). */
const complete = (e: Effects, recurring: number): boolean =>
  e.completedSeries === recurring && e.nextOccurrences === recurring && e.unsent === 0 && e.audited === e.events;

/**
 * Waits (up to `boundMs` from `from`) until every effect of `w` exists, then a few seconds more for late
 * redeliveries, and asserts exactly once: returns the recovery time in ms.
 */
async function recovered(scenario: string, fault: string, w: Workload, recurring: number, from: number, boundMs: number): Promise<number> {
  const seen = { ...retries };
  const e = await eventually(
    `${scenario}: every effect within ${boundMs / 1000} s`,
    Math.max(1_000, from + boundMs - Date.now()),
    async () => {
      const x = await effects(w);
      return complete(x, recurring) ? x : undefined;
    },
  ).catch(async (err: unknown) => {
    throw new Error(`${String(err)}; effects: ${JSON.stringify(await effects(w))}`);
  });
  const recoveryMs = Date.now() - from;
  await eventually(`${scenario}: one email per reminder`, Math.max(1_000, w.reminderAt + 60_000 - Date.now()), async () =>
    (await effects(w)).emails.every((n) => n >= 1) ? true : undefined,
  );
  await sleep(5_000);
  const final = await effects(w);
  assert.deepEqual({ ...final, emails: [] }, { ...e, emails: [] }, "late redeliveries added nothing");
  assert.equal(final.duplicateTitles, 0, "every create landed once (retries took what had landed)");
  assert.equal(final.nextOccurrences, recurring, "one next occurrence per completed series");
  assert.equal(final.seriesWithNext, recurring, "no series has two next occurrences");
  assert.equal(final.audited, final.events, "one audit entry per published event");
  assert.deepEqual(
    final.emails,
    w.reminderTitles.map(() => 1),
    "one email per reminder",
  );
  const line = `| ${scenario} | ${fault} | workload ${(w.ms / 1000).toFixed(1)} s | ${(recoveryMs / 1000).toFixed(1)} s (bound ${boundMs / 1000} s) | ${recurring} completions → ${final.nextOccurrences} next occurrences; ${final.events} events → ${final.audited} audit entries; ${w.reminderTitles.length} reminders → ${final.emails.reduce((a, b) => a + b, 0)} emails | ${seen.unavailable} × 503, ${seen.network} network errors, ${seen.landed} creates found landed |`;
  Object.assign(retries, { unavailable: 0, otherStatus: 0, network: 0, landed: 0 });
  results.push(line);
  process.stderr.write(`${line}\n`);
  return recoveryMs;
}

test("latency with jitter on every Kafka and Postgres path: every effect exactly once", { timeout: 300_000 }, async () => {
  const proxies = [...kafkaProxies(), ...postgresProxies()];
  for (const p of proxies) {
    for (const stream of ["upstream", "downstream"] as const) {
      await faults.addToxic(p, { name: `latency-${stream}`, stream, toxic: { type: "latency", attributes: { latency: 100, jitter: 50 } } });
    }
  }
  try {
    const w = await workload({ recurring: 20, reminders: 3 });
    await recovered(
      "latency + jitter",
      "100 ± 50 ms each way, all daprd→Kafka and service→Postgres paths, left on",
      w,
      20,
      Date.now(),
      90_000,
    );
  } finally {
    await faults.reset();
  }
});

test("bandwidth limit on every sidecar's Kafka path: every effect exactly once", { timeout: 300_000 }, async () => {
  for (const p of kafkaProxies()) {
    for (const stream of ["upstream", "downstream"] as const) {
      await faults.addToxic(p, { name: `bandwidth-${stream}`, stream, toxic: { type: "bandwidth", attributes: { rate: 16 } } });
    }
  }
  try {
    const w = await workload({ recurring: 20, reminders: 3 });
    await recovered("bandwidth limit", "16 KB/s each way, all daprd→Kafka paths, left on", w, 20, Date.now(), 120_000);
  } finally {
    await faults.reset();
  }
});

test(
  "connection resets on every Kafka and Postgres path for 10 s: recovery and every effect exactly once",
  { timeout: 300_000 },
  async () => {
    const proxies = [...kafkaProxies(), ...postgresProxies()];
    for (const p of proxies) await faults.addToxic(p, { name: "reset", toxic: { type: "reset_peer", attributes: { timeout: 500 } } });
    const lift = liftAfter(10_000);
    try {
      const w = await workload({ recurring: 20, reminders: 3, reminderInMs: 30_000 });
      const liftedAt = await lift.lifted;
      await recovered("connection resets", "TCP RST 0.5 s into every connection for 10 s, all paths", w, 20, liftedAt, 120_000);
    } finally {
      // A failed workload must not leave the timer to reset the next scenario's fault: lift it now, or wait for the lift under way.
      await lift.cancel();
    }
  },
);

test(
  "30 s partition of recurrence's sidecar from Kafka: the completions made meanwhile all get their next occurrence",
  { timeout: 400_000 },
  async () => {
    await faults.partition("kafka-recurrence");
    let healedAt = 0;
    try {
      const t0 = Date.now();
      const w = await workload({ recurring: 30, reminders: 2 });
      await sleep(Math.max(0, t0 + 30_000 - Date.now()));
      // Proves the sidecar's only way to Kafka is its proxy: nothing reached recurrence in 30 s.
      const during = await effects(w);
      assert.equal(during.nextOccurrences, 0, "no next occurrence while recurrence's sidecar is cut off");
      assert.equal(during.completedSeries, 30);
      await faults.heal("kafka-recurrence");
      healedAt = Date.now();
      await recovered("partition", "recurrence's daprd ↔ Kafka black-holed for 30 s", w, 30, healedAt, 180_000);
    } finally {
      if (!healedAt) await faults.heal("kafka-recurrence");
    }
  },
);

test("slow Postgres during an outbox burst: the outbox drains, every event audited once", { timeout: 300_000 }, async () => {
  const p = "postgres-tasks-api";
  for (const stream of ["upstream", "downstream"] as const) {
    await faults.addToxic(p, { name: `slow-${stream}`, stream, toxic: { type: "latency", attributes: { latency: 150, jitter: 100 } } });
  }
  let liftedAt = 0;
  try {
    const w = await workload({ recurring: 10, reminders: 1, plain: 200 });
    await faults.reset();
    // Proves tasks-api's database path is the proxy: 200 creates, 16 at a time, each several round trips of
    // at least 2 × 50 ms, cannot take under 2 s (a lower bound: a loaded machine only makes it slower).
    assert.ok(w.ms >= 2_000, `the burst took ${w.ms} ms: the latency toxic was not on tasks-api's path`);
    liftedAt = Date.now();
    await recovered(
      "slow Postgres, outbox burst",
      "tasks-api↔Postgres 150 ± 100 ms each way during 200 creates + 10 completions",
      w,
      10,
      liftedAt,
      120_000,
    );
  } finally {
    if (!liftedAt) await faults.reset();
  }
});
