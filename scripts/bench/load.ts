/**
 * `npm run bench:load [-- --users 1000 --ramp-up 60 --steady 120 --ramp-down 30 --think-min 2000 --think-max 8000]`:
 * the whole platform of `npm run dev` (startPlatform, on loopback with free ports) under scenario traffic
 * (tools/dev-platform/src/load-driver.ts): virtual users that sign in once, then mix list/search 60 %,
 * create 15 % (30 % of them recurring), update 10 %, complete 10 % and delete 5 % with think time, over a
 * ramp-up, a steady phase and a ramp-down. Prints per-operation p50/p95/p99 and errors, events published
 * vs consumed (audit), next occurrences vs recurring completions, each process's CPU and memory, and the
 * load average. Targets (issue 20): p95 ≤ 500 ms per operation, error rate < 0.1 %, one next occurrence
 * per recurring completion, every event audited once. Exits 1 when an invariant fails (not on timings).
 */
import { startPlatform } from "@tasks/dev-platform/dev-platform";
import { drained, formatLoadReport, loadRun } from "@tasks/dev-platform/load-run";

const argv = process.argv.slice(2);
const opt = (name: string, dflt: number) => (argv.includes(`--${name}`) ? Number(argv[argv.indexOf(`--${name}`) + 1]) : dflt);
const say = (l: string) => process.stderr.write(`[bench:load ${new Date().toISOString().slice(11, 19)}] ${l}\n`);

const plan = {
  users: opt("users", 1000),
  rampUpSeconds: opt("ramp-up", 60),
  steadySeconds: opt("steady", 120),
  rampDownSeconds: opt("ramp-down", 30),
  thinkMs: { min: opt("think-min", 2000), max: opt("think-max", 8000) },
};
for (const [k, v] of Object.entries({ ...plan, ...plan.thinkMs })) {
  if (typeof v === "number" && !(Number.isFinite(v) && v >= 0)) throw new Error(`--${k}: expected a non-negative number, got ${v}`);
}

const platform = await startPlatform({ serviceEnv: { "tasks-api": { OUTBOX_POLL_MS: "100" } }, log: say });
let ok: boolean | undefined;
try {
  say(`platform up in ${(platform.timings.total! / 1000).toFixed(1)} s; ${plan.users} virtual users`);
  const report = await loadRun(platform, plan, { log: say });
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
