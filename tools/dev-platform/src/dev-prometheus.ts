/**
 * A real Prometheus (Debian's `prometheus` binary, or PROMETHEUS) scraping the dev platform: every service's
 * `/metrics` and every daprd's metrics port, with the labels the cluster's ServiceMonitors and PodMonitor give
 * (`service` comes from the registry's default label; daprd's series carry `app_id` themselves). The integration
 * tier evaluates the dashboards' and alerts' queries against it.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ManagedProcess, waitReady } from "./dev-process.js";
import { uniquePort } from "./dev-start.js";

export interface ScrapeTarget {
  /** The job name, e.g. `tasks-api` or `daprd-tasks-api`. */
  readonly job: string;
  /** `host:port` serving `/metrics`. */
  readonly address: string;
}

export interface DevPrometheus {
  readonly url: string;
  /** Instant query; throws with Prometheus' error (a parse error names the position). */
  query(expr: string): Promise<PromSeries[]>;
  /** The metric names the scraped targets declare (# TYPE lines), with or without samples. */
  targetMetricNames(): Promise<Set<string>>;
  /** Targets whose last scrape failed. */
  unhealthyTargets(): Promise<string[]>;
  stop(): Promise<void>;
}

export interface PromSeries {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

/** Debian's binary, or PROMETHEUS; undefined when neither exists. */
export function prometheusBinary(): string | undefined {
  const candidate = process.env.PROMETHEUS ?? "/usr/bin/prometheus";
  try {
    execFileSync(candidate, ["--version"], { stdio: "ignore" });
    return candidate;
  } catch {
    return undefined;
  }
}

/** The scrape configuration: one job per target, every `intervalSeconds`. */
export function scrapeConfig(targets: readonly ScrapeTarget[], intervalSeconds: number): string {
  const lines = [
    "global:",
    `  scrape_interval: ${intervalSeconds}s`,
    `  scrape_timeout: ${Math.max(1, intervalSeconds - 0.5)}s`,
    `  evaluation_interval: ${intervalSeconds}s`,
    "scrape_configs:",
    ...targets.flatMap((t) => [
      `  - job_name: ${JSON.stringify(t.job)}`,
      "    static_configs:",
      `      - targets: [${JSON.stringify(t.address)}]`,
    ]),
  ];
  return `${lines.join("\n")}\n`;
}

/** Starts Prometheus on a free port with its data and log in `dir`; resolves once it is ready. */
export async function startDevPrometheus(
  dir: string,
  targets: readonly ScrapeTarget[],
  opts: { intervalSeconds?: number; binary?: string; timeoutMs?: number } = {},
): Promise<DevPrometheus> {
  const binary = opts.binary ?? prometheusBinary();
  if (!binary) throw new Error("prometheus: no binary (apt-get install prometheus, or set PROMETHEUS)");
  mkdirSync(dir, { recursive: true });
  const config = path.join(dir, "prometheus.yml");
  writeFileSync(config, scrapeConfig(targets, opts.intervalSeconds ?? 1));
  const port = await uniquePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = new ManagedProcess({
    name: "prometheus",
    command: binary,
    logFile: path.join(dir, "prometheus.log"),
    args: [
      `--config.file=${config}`,
      `--storage.tsdb.path=${path.join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--storage.tsdb.retention.time=1h",
      "--log.level=warn",
    ],
  });
  proc.start();
  try {
    await waitReady(proc, `${url}/-/ready`, opts.timeoutMs ?? 60_000);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${url}${p}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== "success") throw new Error(`prometheus ${p}: ${body.errorType ?? res.status}: ${body.error ?? "no error text"}`);
    return body.data;
  };
  return {
    url,
    query: async (expr) =>
      (await api<{ resultType: string; result: PromSeries[] }>(`/api/v1/query?query=${encodeURIComponent(expr)}`)).result,
    targetMetricNames: async () => new Set((await api<{ metric: string }[]>("/api/v1/targets/metadata?limit=100000")).map((m) => m.metric)),
    unhealthyTargets: async () =>
      (await api<{ activeTargets: { scrapePool: string; health: string; lastError: string }[] }>("/api/v1/targets")).activeTargets
        .filter((t) => t.health !== "up")
        .map((t) => `${t.scrapePool}: ${t.health} ${t.lastError}`),
    stop: () => proc.stop(),
  };
}
