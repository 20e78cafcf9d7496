/**
 * Network faults with Toxiproxy (startPlatform's `networkFaults`: each daprd → Kafka and each service →
 * Postgres through its own proxy). Each scenario runs a small workload of one user (recurring tasks
 * created and completed, tasks with a reminder a few seconds ahead) under a fault, lifts the fault, and
 * asserts recovery within a bound with exactly-once effects: one next occurrence per completed series, one
 * audit entry per event the outbox published, one email per reminder. It prints the recovery time:
 * from the fault's end (or, for faults left on through the workload, from the workload's last request)
 * until every event-driven effect is in place (next occurrences, outbox drained, audit entries); the
 * reminder emails, due 20-30 s after the workload starts, are awaited after that and counted.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import pg from "pg";
import { allServices, services } from "@tasks/catalog";
import { databaseUrl } from "@tasks/shared";
import type { Platform } from "@tasks/dev-platform/dev-platform";
import type { NetworkFaults } from "@tasks/dev-platform/dev-toxiproxy";
import { api, eventually, startTestPlatform } from "./helpers.js";

let platform: Platform;
let faults: NetworkFaults;
let tasksDb: pg.Client;
let auditDb: pg.Client;
const results: string[] = [];

before(
  async () => {
    platform = await startTestPlatform({ networkFaults: true });
    faults = platform.faults!;
    tasksDb = new pg.Client({ connectionString: databaseUrl(platform.databaseUrl, services["tasks-api"].database!) });
    auditDb = new pg.Client({ connectionString: databaseUrl(platform.databaseUrl, services.audit.database!) });
    await Promise.all([tasksDb.connect(), auditDb.connect()]);
    // Warm-up without a fault: every consumer group assigned, so the scenarios measure the fault, not the start.
    const w = await workload({ recurring: 1, reminders: 0 });
    await eventually("the warm-up's effects", 120_000, async () => (complete(await effects(w), 1) ? true : undefined));
  },
  { timeout: 300_000 },
);
after(
  async () => {
    if (results.length) process.stderr.write(`\nnetwork faults:\n${results.join("\n")}\n`);
    await Promise.all([tasksDb?.end(), auditDb?.end()]);
    await platform?.stop();
  },
  { timeout: 120_000 },
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tasksUrl = () => `${platform.services["tasks-api"].url}/api/v1/tasks`;
const kafkaProxies = () => allServices.map((s) => `kafka-${s.name}`);
const postgresProxies = () => Object.keys(faults.proxies).filter((p) => p.startsWith("postgres-"));

/** A user's request, retried as a client would on a network error or a 5xx (a fault on the API's own database path). */
async function request<T>(
  url: string,
  token: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const r = await api<T>(url, token, init);
      if (r.status < 500 || attempt === 8) return r;
    } catch (err) {
      if (attempt === 8) throw err;
    }
    await sleep(250 * attempt);
  }
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
  const token = await platform.token(user);
  const address = `${user}@example.test`;
  const prefs = await request(`${platform.services.notifications.url}/api/v1/notifications/preferences`, token, {
    method: "PATCH",
    body: { email: address },
  });
  assert.equal(prefs.status, 200, JSON.stringify(prefs.body));
  const reminderTitles = Array.from({ length: opts.reminders }, () => `remind-${randomBytes(5).toString("hex")}`);
  // The reminder is due well after the workload, so a slowed task.created still schedules it in time.
  const reminderAt = Date.now() + (opts.reminderInMs ?? 20_000);
  const dueAt = new Date(reminderAt + 60_000).toISOString();
  await pool(opts.reminders, 4, async (i) => {
    const r = await request(tasksUrl(), token, { body: { title: reminderTitles[i], dueAt, timeZone: "UTC", reminders: [1] } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  await pool(opts.plain ?? 0, 16, async (i) => {
    const r = await request(tasksUrl(), token, {
      body: { title: `burst ${i}`, priority: (["low", "medium", "high", "urgent"] as const)[i % 4], tags: ["burst"] },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  });
  await pool(opts.recurring, 8, async () => {
    const r = await request<{ id: string }>(tasksUrl(), token, {
      body: { title: "daily", dueAt: "2027-01-04T09:00:00-05:00", timeZone: "America/New_York", recurrence: "FREQ=DAILY" },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const done = await request(`${tasksUrl()}/${r.body.id}/complete`, token, { method: "POST" });
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
  const s = series.rows[0]!;
  return {
    completedSeries: Number(s.completed),
    nextOccurrences: Number(s.next),
    seriesWithNext: Number(s.series),
    events: Number(outbox.rows[0]!.events),
    unsent: Number(outbox.rows[0]!.unsent),
    audited: Number(audit.rows[0]!.n),
    emails: w.reminderTitles.map((t) => platform.smtp.messages.filter((m) => m.raw.includes(t)).length),
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
  assert.equal(final.nextOccurrences, recurring, "one next occurrence per completed series");
  assert.equal(final.seriesWithNext, recurring, "no series has two next occurrences");
  assert.equal(final.audited, final.events, "one audit entry per published event");
  assert.deepEqual(
    final.emails,
    w.reminderTitles.map(() => 1),
    "one email per reminder",
  );
  const line = `| ${scenario} | ${fault} | workload ${(w.ms / 1000).toFixed(1)} s | ${(recoveryMs / 1000).toFixed(1)} s (bound ${boundMs / 1000} s) | ${recurring} completions → ${final.nextOccurrences} next occurrences; ${final.events} events → ${final.audited} audit entries; ${w.reminderTitles.length} reminders → ${final.emails.reduce((a, b) => a + b, 0)} emails |`;
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
    const start = async () => {
      for (const p of proxies) await faults.addToxic(p, { name: "reset", toxic: { type: "reset_peer", attributes: { timeout: 500 } } });
    };
    await start();
    const lifted = sleep(10_000).then(async () => {
      await faults.reset();
      return Date.now();
    });
    const w = await workload({ recurring: 20, reminders: 3, reminderInMs: 30_000 });
    const liftedAt = await lifted;
    await recovered("connection resets", "TCP RST 0.5 s into every connection for 10 s, all paths", w, 20, liftedAt, 120_000);
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
