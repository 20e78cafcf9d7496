/**
 * One load run against a started platform: the scenario traffic (load-driver.ts), CPU/memory samples of
 * every process during it (load-usage.ts), then the wait for the platform to drain and the invariants
 * (load-invariants.ts). Used by `npm run bench:load` and the integration tier's short run.
 */
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import type { Platform } from "./dev-platform.js";
import { runLoad, type LoadOptions, type LoadResult } from "./load-driver.js";
import { loadInvariants, signIn, type LoadInvariants } from "./load-invariants.js";
import { cpuPerRequest, sampleUsage, usageBetween, type CpuPerRequest, type UsageRow, type UsageSample } from "./load-usage.js";

export type LoadPlan = Pick<LoadOptions, "users" | "rampUpSeconds" | "steadySeconds" | "rampDownSeconds" | "thinkMs" | "recurringShare">;

export interface LoadReport {
  readonly plan: LoadPlan;
  readonly result: LoadResult;
  readonly invariants: LoadInvariants;
  /** From the last request until every event is published, audited and every next occurrence exists. */
  readonly drainSeconds: number;
  readonly usage: readonly UsageRow[];
  /** CPU ms per request per process over the steady phase, the platform's total and the ceiling it sets. */
  readonly cpu: CpuPerRequest;
  /** 1-minute load average at the start and end of the steady phase, and the machine's cores. */
  readonly loadAverage: { readonly steadyStart: number; readonly steadyEnd: number; readonly cores: number };
}

/** Whether every effect of the run is in place: everything published and audited once, one next occurrence per recurring completion. */
export const drained = (inv: LoadInvariants, result: LoadResult): boolean =>
  inv.unsent === 0 &&
  inv.notAudited === 0 &&
  inv.auditedUnknown === 0 &&
  inv.audited === inv.eventsPublished &&
  inv.nextOccurrences >= result.recurringCompletions;

function kafkaPid(platform: Platform): number | undefined {
  try {
    return Number(readFileSync(path.join(platform.workDir, "kafka", "kafka.pid"), "utf8").trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** label → root pid of every platform process sampled (Kafka, each app and its daprd). */
function processRoots(platform: Platform): Record<string, number | undefined> {
  const roots: Record<string, number | undefined> = { kafka: kafkaPid(platform) };
  for (const s of Object.values(platform.services)) {
    roots[s.name] = s.app.pid;
    if (s.daprd) roots[`daprd ${s.name}`] = s.daprd.pid;
  }
  return roots;
}

/** The platform at rest: CPU % per process over `seconds` with no traffic (polls, fetch loops, probes). */
export async function idleUsage(platform: Platform, seconds: number): Promise<UsageRow[]> {
  const roots = processRoots(platform);
  const from = sampleUsage(roots);
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const to = sampleUsage(roots);
  return usageBetween(from, to, [from, to]);
}

export async function loadRun(
  platform: Platform,
  plan: LoadPlan,
  opts: {
    readonly log?: (line: string) => void;
    readonly drainTimeoutSeconds?: number;
    /** The platform at rest (idleUsage), for the CPU per request beyond the idle cost. */
    readonly idle?: readonly UsageRow[];
  } = {},
): Promise<LoadReport> {
  const log = opts.log ?? (() => undefined);
  const roots = processRoots(platform);
  const samples: UsageSample[] = [];
  let steadyStart: UsageSample | undefined;
  let steadyEnd: UsageSample | undefined;
  const load = { steadyStart: 0, steadyEnd: 0 };
  const steadyRequests = { start: 0, end: 0 };
  const sampler = setInterval(() => samples.push(sampleUsage(roots)), 5_000);
  const userPrefix = `load-${randomBytes(3).toString("hex")}-`;
  let result: LoadResult;
  try {
    result = await runLoad({
      ...plan,
      baseUrl: platform.services["tasks-api"].url,
      signIn: signIn(platform),
      userPrefix,
      log,
      onPhase: (phase, requestsSoFar) => {
        const s = sampleUsage(roots);
        samples.push(s);
        if (phase === "steady") {
          steadyStart = s;
          steadyRequests.start = requestsSoFar;
          load.steadyStart = loadavg()[0]!;
        } else {
          steadyEnd = s;
          steadyRequests.end = requestsSoFar;
          load.steadyEnd = loadavg()[0]!;
        }
      },
    });
  } finally {
    clearInterval(sampler);
  }
  const lastRequest = Date.now();
  const deadline = lastRequest + (opts.drainTimeoutSeconds ?? 180) * 1000;
  let invariants = await loadInvariants(platform, userPrefix);
  while (!drained(invariants, result) && Date.now() < deadline) {
    log(
      `draining: ${invariants.unsent} unsent, ${invariants.notAudited} not audited, ${invariants.nextOccurrences}/${result.recurringCompletions} next occurrences`,
    );
    await new Promise((r) => setTimeout(r, 2_000));
    invariants = await loadInvariants(platform, userPrefix);
  }
  const drainSeconds = (Date.now() - lastRequest) / 1000;
  // Late redeliveries must add nothing: count once more a little later.
  await new Promise((r) => setTimeout(r, 5_000));
  invariants = await loadInvariants(platform, userPrefix);
  const from = steadyStart ?? samples[0] ?? sampleUsage(roots);
  const to = steadyEnd ?? sampleUsage(roots);
  const requests = steadyEnd ? steadyRequests.end - steadyRequests.start : result.requests;
  return {
    plan,
    result,
    invariants,
    drainSeconds,
    usage: usageBetween(from, to, samples),
    cpu: cpuPerRequest(from, to, requests, cpus().length, opts.idle && Object.fromEntries(opts.idle.map((u) => [u.label, u.cpuPercent]))),
    loadAverage: { ...load, cores: cpus().length },
  };
}

/** The report as Markdown tables. */
export function formatLoadReport(r: LoadReport): string {
  const ms = (n: number) => n.toFixed(0);
  const ops = Object.entries(r.result.operations).map(
    ([op, s]) => `| ${op} | ${s.count} | ${s.errors} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.p99)} |`,
  );
  const errorRate = r.result.requests ? (100 * r.result.errors) / r.result.requests : 0;
  const inv = r.invariants;
  return [
    `load: ${r.plan.users} users (${r.result.signedIn} signed in), ramp-up ${r.plan.rampUpSeconds} s, steady ${r.plan.steadySeconds} s, ramp-down ${r.plan.rampDownSeconds} s, think ${r.plan.thinkMs.min}-${r.plan.thinkMs.max} ms; ${r.result.seconds.toFixed(0)} s`,
    "",
    "| operation | requests | errors | p50 ms | p95 ms | p99 ms |",
    "| --- | ---: | ---: | ---: | ---: | ---: |",
    ...ops,
    `| all | ${r.result.requests} | ${r.result.errors} (${errorRate.toFixed(3)} %) | | | |`,
    "",
    `errors by kind: ${
      Object.entries(r.result.errorKinds)
        .map(([k, n]) => `${k}: ${n}`)
        .join(", ") || "none"
    }`,
    `events: ${inv.eventsWritten} written, ${inv.eventsPublished} published, ${inv.audited} consumed by audit (${inv.notAudited} missing, ${inv.auditedUnknown} unexplained), ${inv.unsent} unsent`,
    `recurrence: ${r.result.recurringCompletions} recurring completions → ${inv.nextOccurrences} next occurrences in ${inv.seriesWithNext} series`,
    `drained ${r.drainSeconds.toFixed(1)} s after the last request`,
    "",
    "| process | CPU % of a core (steady) | CPU ms per request (steady) | peak memory MB (PSS) |",
    "| --- | ---: | ---: | ---: |",
    ...r.usage.map(
      (u) => `| ${u.label} | ${u.cpuPercent.toFixed(0)} | ${(r.cpu.byLabel[u.label] ?? 0).toFixed(2)} | ${u.peakRssMb.toFixed(0)} |`,
    ),
    "",
    formatCpuCeiling(r.cpu, r.loadAverage.cores),
    `load average (1 min): ${r.loadAverage.steadyStart.toFixed(2)} at the steady phase's start, ${r.loadAverage.steadyEnd.toFixed(2)} at its end, on ${r.loadAverage.cores} cores`,
  ].join("\n");
}

/** "CPU ms per request: platform X (load driver Y) over N steady requests → ceiling Z req/s on C cores". */
export function formatCpuCeiling(cpu: CpuPerRequest, cores: number): string {
  const driver = cpu.byLabel["load driver"];
  return `CPU ms per request: platform ${cpu.platformMs.toFixed(2)}${driver === undefined ? "" : ` (load driver ${driver.toFixed(2)} more)`} over ${cpu.requests} steady-phase requests → CPU ceiling ${cpu.ceilingPerSecond.toFixed(0)} req/s on ${cores} cores (platform alone, nothing else busy)${
    cpu.marginal
      ? `; beyond the idle baseline ${cpu.marginal.ms.toFixed(2)} ms per request → ceiling ${cpu.marginal.ceilingPerSecond.toFixed(0)} req/s`
      : ""
  }`;
}

/** The idle baseline as a Markdown table. */
export function formatIdleUsage(rows: readonly UsageRow[], seconds: number): string {
  const total = rows.filter((u) => u.label !== "load driver").reduce((a, u) => a + u.cpuPercent, 0);
  return [
    `idle (no traffic, ${seconds} s):`,
    "",
    "| process | CPU % of a core (idle) |",
    "| --- | ---: |",
    ...rows.map((u) => `| ${u.label} | ${u.cpuPercent.toFixed(1)} |`),
    `| platform total | ${total.toFixed(1)} |`,
  ].join("\n");
}
