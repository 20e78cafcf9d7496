/**
 * `npm run bench:e2e [-- --completions 1000 --reminders 100 --concurrency 4]`: end-to-end latencies on the
 * whole platform on one machine (`--rate` completions/s, default 20; 0 = closed loop with `--concurrency`) (@tasks/dev-platform: real Kafka, daprd sidecars, Dapr scheduler).
 * - completion → next occurrence committed: the next occurrence row's created_at minus the completed
 *   task's completed_at (both written by tasks-api on this machine's clock), p50/p95/p99 (target p95 ≤ 250 ms);
 * - reminder lateness: scheduled reminder time → email received by the SMTP catcher, p50/p95/max
 *   (target p95 ≤ 2 s).
 * `--burst` runs the burst mode instead (scripts/bench/e2e-burst.ts): 10,000 reminders of 1,000 users due in
 * the same minute through the real Dapr scheduler.
 */
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import pg from "pg";
import { services } from "@tasks/catalog";
import { databaseUrl } from "@tasks/shared";
import { startPlatform } from "@tasks/dev-platform/dev-platform";

const argv = process.argv.slice(2);
if (argv.includes("--burst")) {
  const { runBurst } = await import("./e2e-burst.js");
  process.exit(await runBurst(argv));
}
const opt = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const COMPLETIONS = opt("completions", 1000);
const REMINDERS = opt("reminders", 100);
const CONCURRENCY = opt("concurrency", 4);
/** Completions started per second (open loop), so the latency is not queueing behind a burst; 0 = as fast as CONCURRENCY allows. */
const RATE = opt("rate", 20);

const say = (l: string) => process.stderr.write(`[bench:e2e] ${l}\n`);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

async function call(url: string, token: string, method: string, body?: unknown): Promise<{ id: string }> {
  const res = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string };
}

const t0 = Date.now();
const platform = await startPlatform({ serviceEnv: { "tasks-api": { OUTBOX_POLL_MS: "50" } }, log: say });
const startSeconds = (Date.now() - t0) / 1000;
const db = new pg.Client({ connectionString: databaseUrl(platform.databaseUrl, services["tasks-api"].database!) });
await db.connect();
try {
  const tasks = `${platform.services["tasks-api"].url}/api/v1/tasks`;

  // --- completion → next occurrence -----------------------------------------------------------
  const user = `bench-${randomUUID()}`;
  const token = await platform.token(user);
  const ids: string[] = [];
  await pool(COMPLETIONS, 16, async () => {
    ids.push(
      (
        await call(tasks, token, "POST", {
          title: "bench",
          dueAt: "2027-01-04T09:00:00-05:00",
          timeZone: "America/New_York",
          recurrence: "FREQ=DAILY",
        })
      ).id,
    );
  });
  await sleep(3000); // let the task.created events drain so they do not share the run below
  const tc = Date.now();
  if (RATE > 0) {
    const inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < COMPLETIONS; i++) {
      await sleep(Math.max(0, tc + (i * 1000) / RATE - Date.now()));
      inFlight.push(call(`${tasks}/${ids[i]}/complete`, token, "POST"));
    }
    await Promise.all(inFlight);
  } else {
    await pool(COMPLETIONS, CONCURRENCY, async (i) => void (await call(`${tasks}/${ids[i]}/complete`, token, "POST")));
  }
  const completeSeconds = (Date.now() - tc) / 1000;
  const deadline = Date.now() + 300_000;
  let rows: { ms: number }[] = [];
  while (Date.now() < deadline) {
    rows = (
      await db.query<{ ms: number }>(
        `select extract(epoch from (n.created_at - s.completed_at)) * 1000 as ms
         from tasks n join tasks s on s.id = n.series_id where s.user_id = $1`,
        [user],
      )
    ).rows;
    if (rows.length >= COMPLETIONS) break;
    await sleep(500);
  }
  const lat = rows.map((r) => Number(r.ms)).sort((a, b) => a - b);

  // --- reminder lateness ----------------------------------------------------------------------
  // One user per reminder: reminders of one user in the same minute go out as one email (the digest),
  // which --burst measures; here each reminder is measured on its own.
  const rRun = randomUUID().slice(0, 8);
  const rTokens: string[] = [];
  await pool(REMINDERS, 8, async (i) => {
    rTokens[i] = await platform.token(`bench-rem-${rRun}-${i}`);
    await call(`${platform.services.notifications.url}/api/v1/notifications/preferences`, rTokens[i]!, "PATCH", {
      email: `bench-rem-${rRun}-${i}@example.test`,
    });
  });
  const base = Date.now() + 20_000;
  const due = new Map<string, number>();
  await pool(REMINDERS, 8, async (i) => {
    const remindAt = base + i * 100;
    const title = `rem-${i}-${randomUUID().slice(0, 8)}`;
    due.set(title, remindAt);
    await call(tasks, rTokens[i]!, "POST", { title, dueAt: new Date(remindAt + 60_000).toISOString(), timeZone: "UTC", reminders: [1] });
  });
  const created = Date.now();
  if (created > base) say(`warning: creating the reminders took until ${created - base} ms after the first was due`);
  const rDeadline = base + REMINDERS * 100 + 60_000;
  const late: number[] = [];
  while (Date.now() < rDeadline) {
    late.length = 0;
    for (const [title, at] of due) {
      const mail = platform.smtp.messages.find((m) => m.raw.includes(title));
      if (mail) late.push(mail.receivedAt - at);
    }
    if (late.length >= REMINDERS) break;
    await sleep(500);
  }
  late.sort((a, b) => a - b);

  console.log(`
bench:e2e (whole platform on this machine; ${process.env.KAFKA_BROKERS ? "external" : "local"} Kafka, embedded Postgres unless DATABASE_URL)
  platform start               ${startSeconds.toFixed(1)} s
  completion -> next occurrence committed (${lat.length}/${COMPLETIONS} events, ${RATE > 0 ? `paced at ${RATE}/s` : `${CONCURRENCY} in flight`}, ${(COMPLETIONS / completeSeconds).toFixed(0)} completions/s)
    p50 ${pct(lat, 50).toFixed(0)} ms   p95 ${pct(lat, 95).toFixed(0)} ms   p99 ${pct(lat, 99).toFixed(0)} ms   max ${lat.at(-1)!.toFixed(0)} ms   (target p95 <= 250 ms: ${pct(lat, 95) <= 250 ? "met" : "NOT met"})
  reminder lateness, scheduled -> email received (${late.length}/${REMINDERS} reminders)
    p50 ${late.length ? pct(late, 50) : NaN} ms   p95 ${late.length ? pct(late, 95) : NaN} ms   max ${late.at(-1) ?? NaN} ms   (target p95 <= 2000 ms: ${late.length === REMINDERS && pct(late, 95) <= 2000 ? "met" : "NOT met"})
  load average (1/5/15 min)    ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`);
  if (lat.length < COMPLETIONS || late.length < REMINDERS) process.exitCode = 1;
} finally {
  await db.end();
  await platform.stop();
}
