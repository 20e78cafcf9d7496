/**
 * `npm run bench:e2e -- --burst [--users 1000 --per-user 10 --lead 240 --wait 600 --job-streams N]`: a burst of reminders through the
 * real Dapr scheduler on the whole local platform (@tasks/dev-platform). Every user signs in at the
 * platform's OpenID Provider and opens the notifications API once (so notifications knows the token's
 * email), then creates `--per-user` tasks with no reminders of their own (the default: one hour before),
 * all due at the same instant one hour after the burst minute. So users × per-user reminders fall at the
 * same second; each user's reminders of that minute go out as one email (the digest).
 * Prints reminder lateness (burst instant -> the SMTP catcher received the email listing the reminder)
 * p50/p95/p99/max, emails sent, duplicates (a reminder in two emails) and lost (in none by the deadline),
 * and the load average. Targets: p95 <= 2 s, p99 <= 5 s, 0 duplicates, 0 lost.
 */
import { randomUUID } from "node:crypto";
import { loadavg } from "node:os";
import pg from "pg";
import { services } from "@tasks/catalog";
import { databaseUrl } from "@tasks/shared";
import { startPlatform } from "@tasks/dev-platform/dev-platform";

export async function runBurst(argv: readonly string[]): Promise<number> {
  const opt = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
  const USERS = opt("users", 1000);
  const PER_USER = opt("per-user", 10);
  /** Seconds from the start of task creation to the burst (rounded up to a whole minute). */
  const LEAD = opt("lead", 240);
  /** Seconds after the burst to wait for the emails before counting the rest as lost. */
  const WAIT = opt("wait", 600);
  /** notifications' daprd --scheduler-job-streams (daprd's default: 3). */
  const STREAMS = opt("job-streams", 0);
  const TOTAL = USERS * PER_USER;
  const say = (l: string) => process.stderr.write(`[bench:e2e burst] ${l}\n`);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(" ");
  const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function pool(n: number, width: number, fn: (i: number) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(
      Array.from({ length: width }, async () => {
        while (next < n) await fn(next++);
      }),
    );
  }
  async function call(url: string, token: string, method: string, body?: unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      if (res.ok) return void (await res.body?.cancel());
      const text = await res.text();
      if (attempt >= 3 || res.status < 500) throw new Error(`${method} ${url}: HTTP ${res.status} ${text}`);
    }
  }

  const loadStart = load();
  const t0 = Date.now();
  const platform = await startPlatform({
    serviceEnv: { "tasks-api": { OUTBOX_POLL_MS: "50" } },
    ...(STREAMS > 0 ? { daprdArgs: { notifications: ["--scheduler-job-streams", String(STREAMS)] } } : {}),
    log: say,
  });
  const startSeconds = (Date.now() - t0) / 1000;
  const ndb = new pg.Client({ connectionString: databaseUrl(platform.databaseUrl, services.notifications.database!) });
  await ndb.connect();
  try {
    const run = randomUUID().slice(0, 6);
    const user = (u: number) => `burst-${run}-${u}`;
    const tokens: string[] = [];
    const ts = Date.now();
    await pool(USERS, 8, async (u) => {
      tokens[u] = await platform.token(user(u));
      await call(`${platform.services.notifications.url}/api/v1/notifications/unread-count`, tokens[u]!, "GET");
    });
    say(`${USERS} users signed in in ${((Date.now() - ts) / 1000).toFixed(1)} s`);

    const burst = Math.ceil((Date.now() + LEAD * 1000) / 60_000) * 60_000;
    const dueAt = new Date(burst + 3_600_000).toISOString();
    const title = (u: number, k: number) => `B${run}.${u}.${k}`;
    const tasks = `${platform.services["tasks-api"].url}/api/v1/tasks`;
    const tc = Date.now();
    let made = 0;
    await pool(TOTAL, 32, async (i) => {
      const u = i % USERS;
      await call(tasks, tokens[u]!, "POST", { title: title(u, Math.floor(i / USERS)), dueAt, timeZone: "UTC" });
      if (++made % 1000 === 0) say(`${made}/${TOTAL} tasks created`);
    });
    const createSeconds = (Date.now() - tc) / 1000;
    say(`${TOTAL} tasks created in ${createSeconds.toFixed(1)} s; burst at ${new Date(burst).toISOString()}`);

    // Wait until notifications has scheduled every reminder (a Dapr job each).
    let scheduled = 0;
    while (Date.now() < burst) {
      const r = await ndb.query<{ n: string }>(
        `select count(*) as n from reminders where user_id like $1 and remind_at = $2 and state = 'scheduled'`,
        [`burst-${run}-%`, new Date(burst)],
      );
      scheduled = Number(r.rows[0]!.n);
      if (scheduled >= TOTAL) break;
      await sleep(1000);
    }
    const scheduledBy = Date.now();
    if (scheduled < TOTAL) say(`warning: only ${scheduled}/${TOTAL} reminders were scheduled before the burst (raise --lead)`);
    else say(`all ${TOTAL} reminders scheduled ${((burst - scheduledBy) / 1000).toFixed(0)} s before the burst`);
    const loadBefore = load();

    // Collect: each reminder's title appears in the email that lists it.
    const deadline = burst + WAIT * 1000;
    const seen = new Map<string, number[]>();
    let parsed = 0;
    const decode = (raw: string) =>
      raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const marker = new RegExp(`"(B${run}\\.\\d+\\.\\d+)"`, "g");
    let loadPeak = 0;
    let lastSay = Date.now();
    while (Date.now() < deadline) {
      if (Date.now() - lastSay >= 15_000) {
        say(`${((Date.now() - burst) / 1000).toFixed(0)} s after the burst: ${seen.size}/${TOTAL} reminders emailed`);
        lastSay = Date.now();
      }
      const mails = platform.smtp.messages;
      for (; parsed < mails.length; parsed++) {
        const m = mails[parsed]!;
        for (const [, t] of decode(m.raw).matchAll(marker)) seen.set(t!, [...(seen.get(t!) ?? []), m.receivedAt]);
      }
      loadPeak = Math.max(loadPeak, loadavg()[0]!);
      if (seen.size >= TOTAL && Date.now() > burst + 100_000) break; // past the digest fallback: nothing more should come
      await sleep(500);
    }
    const emails = platform.smtp.messages.filter((m) => m.raw.includes(`B${run}.`)).length;
    const late = [...seen.values()].map((at) => at[0]! - burst).sort((a, b) => a - b);
    const duplicates = [...seen.values()].filter((at) => at.length > 1).length;
    const lost = TOTAL - seen.size;
    const [p50, p95, p99] = [pct(late, 50), pct(late, 95), pct(late, 99)];
    const met = p95 <= 2000 && p99 <= 5000 && duplicates === 0 && lost === 0;
    console.log(`
bench:e2e --burst (whole platform on this machine: real Dapr scheduler, daprd, Kafka, Postgres, SMTP catcher)
  platform start               ${startSeconds.toFixed(1)} s
  ${TOTAL} reminders of ${USERS} users due at ${new Date(burst).toISOString()} (${PER_USER} per user, the default reminder 1 h before; notifications' daprd --scheduler-job-streams ${STREAMS || "3 (default)"})
  tasks created in             ${createSeconds.toFixed(1)} s (${(TOTAL / createSeconds).toFixed(0)}/s); all reminders scheduled ${scheduled >= TOTAL ? `${((burst - scheduledBy) / 1000).toFixed(0)} s before the burst` : `NOT (${scheduled})`}
  lateness, reminder time -> email received (${seen.size}/${TOTAL})
    p50 ${p50} ms   p95 ${p95} ms   p99 ${p99} ms   max ${late.at(-1) ?? NaN} ms
  emails sent                  ${emails} (one per user and minute: ${USERS} expected)
  duplicates                   ${duplicates}
  lost                         ${lost}
  targets p95 <= 2000 ms, p99 <= 5000 ms, 0 duplicates, 0 lost: ${met ? "met" : "NOT met"}
  load average (1/5/15 min)    start ${loadStart} | before the burst ${loadBefore} | end ${load()} | 1-min peak during ${loadPeak.toFixed(2)} (${
    process.env.NUMBER_OF_PROCESSORS ?? (await import("node:os")).availableParallelism()
  } cores)`);
    return duplicates === 0 && lost === 0 ? 0 : 1;
  } finally {
    await ndb.end();
    await platform.stop();
  }
}
