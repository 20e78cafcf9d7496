/**
 * `npm run bench:load [-- --users 1000 --ramp-up 60 --steady 120 --ramp-down 30 --think-min 5000 --think-max 25000 --idle 0 --cpu-prof DIR --keep-work-dir]`:
 * the whole platform of `npm run dev` (startPlatform, on loopback with free ports) under scenario traffic
 * (tools/dev-platform/src/load-driver.ts): virtual users that sign in once, then mix list/search 60 %,
 * create 15 % (30 % of them recurring), update 10 %, complete 10 % and delete 5 % with think time, over a
 * ramp-up, a steady phase and a ramp-down. Prints per-operation p50/p95/p99 and errors, events published
 * vs consumed (audit), next occurrences vs recurring completions, each process's CPU and memory, and the
 * load average; the CPU ms each process spends per request over the steady phase, and the request rate the
 * platform's total allows on this machine's cores (its CPU ceiling). `--idle N` first measures N seconds
 * without traffic (each process's CPU at rest). Targets (issue 20): p95 ≤ 500 ms per operation, error rate < 0.1 %, one next occurrence
 * per recurring completion, every event audited once. Exits 1 when an invariant fails (not on timings).
 */
import path from "node:path";
import type { ServiceName } from "@tasks/catalog";
import { startPlatform } from "@tasks/dev-platform/dev-platform";
import { drained, formatIdleUsage, formatLoadReport, idleUsage, loadRun } from "@tasks/dev-platform/load-run";

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const say = (l: string) => process.stderr.write(`[bench:load ${new Date().toISOString().slice(11, 19)}] ${l}\n`);

const plan = {
  users: opt("users", 1000),
  rampUpSeconds: opt("ramp-up", 60),
  steadySeconds: opt("steady", 120),
  rampDownSeconds: opt("ramp-down", 30),
  // A user reads the list and types a title between actions: 5-25 s (mean 15 s; TPC-W's browsing mean is 7 s).
  // 2-8 s is a stress rate: ~200 req/s from 1,000 users, above the CPU ceiling this bench prints for 2 cores.
  thinkMs: { min: opt("think-min", 5000), max: opt("think-max", 25000) },
};
const idleSeconds = opt("idle", 0);
for (const [k, v] of Object.entries({ ...plan, ...plan.thinkMs, idle: idleSeconds })) {
  if (typeof v === "number" && !(Number.isFinite(v) && v >= 0)) throw new Error(`--${k}: expected a non-negative number, got ${v}`);
}

// --cpu-prof DIR: every service's node process writes a V8 CPU profile (open it in Chrome DevTools) to DIR when it stops.
const profileDir = argv.includes("--cpu-prof") ? path.resolve(argv[argv.indexOf("--cpu-prof") + 1] ?? "") : undefined;
const repoRoot = path.resolve(import.meta.dirname, "../..");
const appCommand = profileDir
  ? (service: ServiceName, env: Readonly<Record<string, string>>) => ({
      command: process.execPath,
      args: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`, "--import", "tsx", path.join(repoRoot, "apps", service, "src", "main.ts")],
      env,
    })
  : undefined;

const platform = await startPlatform({
  // The outbox relay's poll stays at its default (1 s, as deployed): a commit wakes the relay at once, so a faster
  // poll only adds queries (100 ms cost tasks-api 2.3 % of a core and Postgres 0.8 % with no traffic at all).
  // --keep-work-dir: the processes' logs stay (the path is printed), e.g. to read why requests failed.
  keepWorkDir: argv.includes("--keep-work-dir"),
  ...(appCommand ? { appCommand } : {}),
  log: say,
});
let ok: boolean | undefined;
try {
  say(`platform up in ${(platform.timings.total! / 1000).toFixed(1)} s; ${plan.users} virtual users; logs in ${platform.workDir}/logs`);
  let idle: Awaited<ReturnType<typeof idleUsage>> | undefined;
  if (idleSeconds > 0) {
    say(`idle baseline: ${idleSeconds} s without traffic`);
    idle = await idleUsage(platform, idleSeconds);
    console.log(`${formatIdleUsage(idle, idleSeconds)}\n`);
  }
  const report = await loadRun(platform, plan, { log: say, ...(idle ? { idle } : {}) });
  console.log(formatLoadReport(report));
  const inv = report.invariants;
  ok =
    drained(inv, report.result) && inv.nextOccurrences === report.result.recurringCompletions && inv.seriesWithNext === inv.nextOccurrences;
  const slow = Object.entries(report.result.operations).filter(([, s]) => s.p95 > 500);
  const errorRate = report.result.errors / Math.max(1, report.result.requests);
  console.log(
    `targets: p95 ≤ 500 ms ${slow.length ? `MISSED (${slow.map(([op, s]) => `${op} ${s.p95.toFixed(0)}`).join(", ")})` : "met"}; error rate < 0.1 % ${errorRate < 0.001 ? "met" : "MISSED"}; invariants ${ok ? "hold" : "BROKEN"}`,
  );
} finally {
  await platform.stop();
}
process.exit(ok ? 0 : 1);
