/** Shared helpers of the integration tests: the platform per file, HTTP with a JWT, polling, a realtime WebSocket client. */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { after, before } from "node:test";
import pg from "pg";
import WebSocket from "ws";
import { services, type ServiceName, type ServiceSpec } from "@tasks/catalog";
import { startPlatform, type Platform, type PlatformOptions } from "@tasks/dev-platform/dev-platform";
import { databaseUrl } from "@tasks/shared";

/** The platform every end-to-end file starts: a fast outbox poll, its progress on stderr (plus `extra`, e.g. networkFaults). */
export function startTestPlatform(extra: Pick<PlatformOptions, "networkFaults" | "tracingEndpoint"> = {}): Promise<Platform> {
  return startPlatform({
    serviceEnv: { "tasks-api": { OUTBOX_POLL_MS: "100" } },
    log: (l) => process.stderr.write(`[platform] ${l}\n`),
    ...extra,
  });
}

export interface TestPlatformOptions {
  /** Runs first in the `before` hook, before the platform starts (a server the platform is pointed at, a precondition). */
  readonly beforeStart?: () => Promise<unknown>;
  /** Route every daprd → Kafka and service → Postgres path through Toxiproxy (PlatformOptions.networkFaults). */
  readonly networkFaults?: boolean;
  /** Where daprd sends traces; read when the platform starts, so it may name a receiver an earlier `before` started. */
  readonly tracingEndpoint?: () => NonNullable<PlatformOptions["tracingEndpoint"]>;
  /** Runs once the platform is up, in the same `before` hook (clients, warm-up). */
  readonly setUp?: (platform: Platform) => Promise<unknown>;
  /** Runs in the `after` hook before the platform stops (close what `setUp` opened). */
  readonly tearDown?: () => Promise<unknown>;
  /** The `before` hook's timeout: the platform's start plus `setUp`. @default 300_000 */
  readonly startTimeoutMs?: number;
}

/**
 * Starts the test platform once for the calling file: registers its `before` (`beforeStart`, start, `setUp`) and
 * `after` (`tearDown`, then stop) hooks, and returns an accessor for the running platform, for tests and later hooks.
 * Node 20 runs a file's top-level `before` hooks concurrently, so what must precede the start goes in `beforeStart`;
 * top-level `after` hooks run one by one in the order registered, so an `after` registered later runs once the
 * platform has stopped.
 */
export function useTestPlatform(options: TestPlatformOptions = {}): () => Platform {
  let platform: Platform | undefined;
  before(
    async () => {
      await options.beforeStart?.();
      platform = await startTestPlatform({
        ...(options.networkFaults ? { networkFaults: true } : {}),
        ...(options.tracingEndpoint ? { tracingEndpoint: options.tracingEndpoint() } : {}),
      });
      await options.setUp?.(platform);
    },
    { timeout: options.startTimeoutMs ?? 300_000 },
  );
  after(
    async () => {
      try {
        await options.tearDown?.();
      } finally {
        await platform?.stop();
      }
    },
    { timeout: 120_000 },
  );
  return () => {
    if (!platform) throw new Error("the test platform is not running (useTestPlatform's before hook failed or has not run)");
    return platform;
  };
}

/** A connected client of `service`'s own database on the platform's Postgres; the caller ends it. */
export async function connectServiceDb(platform: Platform, service: ServiceName): Promise<pg.Client> {
  const { database } = services[service] as ServiceSpec;
  if (!database) throw new Error(`${service} owns no database`);
  const client = new pg.Client({ connectionString: databaseUrl(platform.databaseUrl, database) });
  await client.connect();
  return client;
}

export async function api<T>(
  url: string,
  token: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers: { authorization: `Bearer ${token}`, ...(init.body === undefined ? {} : { "content-type": "application/json" }) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * Calls `probe` until it returns a value other than undefined, or fails after `timeoutMs` with `what` and, when
 * given, what `explain` finds (e.g. the log lines of the service that should have acted).
 */
export async function eventually<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  explain?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      lastError = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const why = explain?.();
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ""}${why ? `\n${why}` : ""}`,
  );
}

/** The last `max` lines of a platform service's log that mention any of `needles`, for a failure's message. */
export function logLinesAbout(workDir: string, service: string, needles: readonly string[], max = 20): string {
  const file = path.join(workDir, "logs", `${service}.log`);
  const lines = existsSync(file) ? readFileSync(file, "utf8").split("\n") : [];
  const hits = lines.filter((l) => needles.some((n) => l.includes(n))).slice(-max);
  return `${service}.log, lines about ${needles.join(", ")}: ${hits.length ? `\n${hits.join("\n")}` : "none"}`;
}

export interface RealtimeEvent {
  readonly type: "event";
  readonly id: string;
  readonly topic: string;
  readonly taskId: string;
  readonly data: Record<string, unknown>;
}

/** A realtime client authenticated with subprotocols (apps/realtime/README.md); resolves once `ready`. */
export async function connectRealtime(wsUrl: string, token: string): Promise<{ events: RealtimeEvent[]; close(): void }> {
  const events: RealtimeEvent[] = [];
  const ws = new WebSocket(wsUrl, ["tasks.v1", `bearer.${token}`]);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`realtime: no "ready" from ${wsUrl} within 10 s`)), 10_000);
    ws.on("message", (raw) => {
      const msg = JSON.parse(String(raw)) as { type: string };
      if (msg.type === "ready") {
        clearTimeout(timer);
        resolve();
      } else if (msg.type === "event") events.push(msg as RealtimeEvent);
    });
    ws.once("error", reject);
    ws.once("close", (code) => reject(new Error(`realtime closed the socket with ${code} before ready`)));
  });
  return { events, close: () => ws.close() };
}

/**
 * Waits until realtime's broadcast subscription is live. Its consumer group is new per daprd and starts
 * at the newest offset, so events published before Kafka assigned it partitions never reach it: create
 * probe tasks (for `probeUser`, a user of their own) until one arrives over a WebSocket.
 */
export async function waitRealtimeLive(platform: Platform, probeUser: string, timeoutMs = 90_000): Promise<void> {
  const token = await platform.token(probeUser);
  const probe = await connectRealtime(`${platform.services.realtime.url.replace("http", "ws")}/ws`, token);
  try {
    await eventually("realtime to receive a probe task event", timeoutMs, async () => {
      if (probe.events.length > 0) return true;
      await api(`${platform.services["tasks-api"].url}/api/v1/tasks`, token, { body: { title: "realtime probe" } });
      await new Promise((r) => setTimeout(r, 1500));
      return probe.events.length > 0 ? true : undefined;
    });
  } finally {
    probe.close();
  }
}
