/**
 * `npm run bench:services`: the tasks API under real HTTP load against embedded PostgreSQL.
 *
 * Prints throughput and p50/p95/p99 latency for create and list at 64 connections and create at 16,
 * next to a raw pg insert baseline (the same row into the same table, 64 concurrent clients, one
 * INSERT each, no HTTP) measured in the same run, and the ratio. Targets: create throughput at 64
 * connections >= 0.3 x raw baseline; create p99 at 16 connections <= 50 ms.
 *
 * The app runs in a child process (`--serve`) listening on 127.0.0.1 only, with its outbox relay
 * publishing to a stand-in sidecar, so the load generator does not share its event loop. Postgres
 * runs with default durability (fsync and synchronous_commit on). Every phase is bounded in request
 * count and time. Usage: npm run bench:services [-- --requests 3000 --seconds 5 --rounds 3 --replicas 1]
 * (--replicas N runs N app processes, each with its own outbox relay, like N pods behind a Service.)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { daprComponents } from "@tasks/catalog";
import {
  authEnvSchema,
  createDatabase,
  createLogger,
  createRegistry,
  databaseUrl,
  ensureDatabaseExists,
  listen,
  loadAuthConfig,
  migrateLatest,
  outboxMetrics,
  publisherMetrics,
} from "@tasks/shared";
import { startIdentityProvider } from "@tasks/dev-platform/dev-identity";
import { startFakeSidecar, testAppToken } from "@tasks/shared/testing";
import { createTasksApp, migrations, OutboxRelay } from "@tasks/tasks-api";
import pg from "pg";
import { startEmbeddedPostgres } from "@tasks/dev-platform/test-servers";

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), "../..");
const argValue = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const POOL_MAX = Number(process.env.BENCH_POOL_MAX ?? 32);

// ---- server mode (child process) -------------------------------------------------------------
async function serve(): Promise<void> {
  const knex = createDatabase({
    connectionString: process.env.BENCH_DATABASE_URL!,
    poolMin: 4,
    poolMax: POOL_MAX,
    applicationName: "bench-tasks-api",
  });
  const logger = createLogger({ service: "tasks-api", level: "warn" });
  const registry = createRegistry("tasks-api");
  const relay = new OutboxRelay({
    db: knex,
    logger,
    metrics: outboxMetrics(registry),
    publisher: { daprHttpUrl: process.env.BENCH_SIDECAR_URL!, pubsubName: daprComponents.pubsub, metrics: publisherMetrics(registry) },
  });
  const { app } = createTasksApp({
    db: knex,
    logger,
    registry,
    // The identity provider's settings, as a deployed service reads them (tokens by code + PKCE, RS256 over its JWKS).
    auth: loadAuthConfig(authEnvSchema.parse(process.env)),
    daprAppToken: testAppToken,
    onEventsWritten: () => relay.notify(),
  });
  // BENCH_NO_RELAY=1 isolates the request path (diagnostics only; reported numbers run the relay).
  if (!process.env.BENCH_NO_RELAY) relay.start();
  const server = await listen(app, 0, "127.0.0.1");
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(
      () =>
        void relay
          .stop()
          .then(() => knex.destroy())
          .then(() => process.exit(0)),
    );
  });
}

// ---- load generation ---------------------------------------------------------------------------
interface Result {
  name: string;
  conns: number;
  requests: number;
  errors: number;
  seconds: number;
  latenciesMs: number[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(r: Result) {
  const s = [...r.latenciesMs].sort((a, b) => a - b);
  return { rps: r.requests / r.seconds, p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99) };
}

/** Runs `op` from `conns` concurrent loops until `maxRequests` are done or `maxSeconds` pass. */
async function runLoad(
  name: string,
  conns: number,
  maxRequests: number,
  maxSeconds: number,
  op: (i: number) => Promise<boolean>,
): Promise<Result> {
  const latenciesMs: number[] = [];
  let issued = 0;
  let errors = 0;
  const deadline = performance.now() + maxSeconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: conns }, async () => {
      while (issued < maxRequests && performance.now() < deadline) {
        const i = issued++;
        const t0 = performance.now();
        const ok = await op(i).catch(() => false);
        latenciesMs.push(performance.now() - t0);
        if (!ok) errors++;
      }
    }),
  );
  return { name, conns, requests: latenciesMs.length, errors, seconds: (performance.now() - start) / 1000, latenciesMs };
}

function httpCall(agent: http.Agent, port: number, method: string, urlPath: string, token: string, body?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method,
        path: urlPath,
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function startServer(env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
  // BENCH_CPU_PROF=<dir> profiles the server process (node --cpu-prof) to find hot spots.
  const prof = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const nodeFlags = (process.env.BENCH_NODE_FLAGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeFlags, ...prof, "--import", "tsx", here, "--serve"], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { port: (JSON.parse(line) as { port: number }).port, child };
}

const fmt = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");

async function main(): Promise<void> {
  const maxRequests = argValue("requests", 3000);
  const maxSeconds = argValue("seconds", 5);
  const rounds = argValue("rounds", 3);
  const replicas = argValue("replicas", 1);
  console.log(
    `bench:services — embedded PostgreSQL (default durability), ${replicas} app replica(s) with pool ${POOL_MAX} each, bounds ${maxRequests} requests / ${maxSeconds} s per phase, ${rounds} rounds`,
  );
  // BENCH_PG_ASYNC_COMMIT=1: synchronous_commit=off (diagnostics: takes WAL flush stalls out of latency).
  const pgServer = await startEmbeddedPostgres({
    settings: { fsync: "on", synchronous_commit: process.env.BENCH_PG_ASYNC_COMMIT ? "off" : "on", full_page_writes: "on" },
  });
  const sidecar = await startFakeSidecar();
  // Users sign in at a real OpenID Provider (code + PKCE); the replicas verify RS256 against its JWKS.
  const identity = await startIdentityProvider({ accessTokenTtlSeconds: 3600 });
  const children: ChildProcess[] = [];
  let rawPool: pg.Pool | undefined;
  try {
    await ensureDatabaseExists(pgServer.url, "bench");
    const url = databaseUrl(pgServer.url, "bench");
    const knex = createDatabase({ connectionString: url, poolMin: 0, poolMax: 2 });
    await migrateLatest(knex, migrations);
    await knex.destroy();
    const servers = await Promise.all(
      Array.from({ length: replicas }, () => startServer({ BENCH_DATABASE_URL: url, BENCH_SIDECAR_URL: sidecar.url, ...identity.env })),
    );
    children.push(...servers.map((s) => s.child));
    // Like a Kubernetes Service: requests spread over the replicas.
    const portFor = (i: number) => servers[i % servers.length]!.port;
    const users = await Promise.all(Array.from({ length: 100 }, (_, i) => identity.token(`bench-user-${i}`)));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const createBody = (i: number) =>
      JSON.stringify({
        title: `Benchmark task ${i} with some words to index`,
        description: "Created by the services benchmark.",
        priority: ["low", "medium", "high", "urgent"][i % 4],
        tags: ["bench", `t${i % 10}`],
        dueAt: new Date(Date.now() + (i % 1000) * 60_000).toISOString(),
        timeZone: "Europe/Paris",
        reminders: [15],
      });
    const create = async (i: number) =>
      (await httpCall(agent, portFor(i), "POST", "/api/v1/tasks", users[i % users.length]!, createBody(i))) === 201;
    const list = async (i: number) =>
      (await httpCall(
        agent,
        portFor(i),
        "GET",
        `/api/v1/tasks?status=open&sort=-priority,due&limit=20&tags=bench`,
        users[i % users.length]!,
      )) === 200;

    // Raw baseline: the same row shape straight into tasks with the pg driver, 64 clients.
    const pool = (rawPool = new pg.Pool({ connectionString: url, max: 64 }));
    pool.on("error", () => undefined); // idle clients see the server stop at the end
    const cols = "id, user_id, title, description, priority, status, tags, due_at, time_zone, reminders, created_at, updated_at, version";
    const raw = (i: number) =>
      pool
        .query(`insert into tasks (${cols}) values ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, now(), now(), 1)`, [
          randomUUID(),
          `raw-user-${i % 100}`,
          `Benchmark task ${i} with some words to index`,
          "Created by the services benchmark.",
          (i % 4) + 1,
          ["bench", `t${i % 10}`],
          new Date(Date.now() + (i % 1000) * 60_000),
          "Europe/Paris",
          [15],
        ])
        .then(() => true);

    await runLoad("warm-up", 16, 1000, 5, create);
    await runLoad("raw warm-up", 16, 500, 5, raw);
    // Rounds interleave the app and the baseline so that background load on a shared machine hits
    // both alike; each figure below is the median over the rounds.
    const phases = [
      { label: "create @64", conns: 64, op: create },
      { label: "list @64", conns: 64, op: list },
      { label: "create @16", conns: 16, op: create },
      { label: "raw pg insert @64", conns: 64, op: raw },
      { label: "raw pg insert @16", conns: 16, op: raw },
    ];
    const results = new Map<string, ReturnType<typeof summary>[]>(phases.map((p) => [p.label, []]));
    let errors = 0;
    for (let round = 1; round <= rounds; round++) {
      const line: string[] = [];
      for (const p of phases) {
        const r = await runLoad(p.label, p.conns, maxRequests, maxSeconds, p.op);
        errors += r.errors;
        const s = summary(r);
        results.get(p.label)!.push(s);
        line.push(`${p.label} ${fmt(s.rps, 0)}/s p99 ${fmt(s.p99, 1)} ms`);
      }
      console.log(`round ${round}: ${line.join(" | ")}`);
    }
    agent.destroy();
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const med = (label: string) => {
      const xs = results.get(label)!;
      return {
        rps: median(xs.map((x) => x.rps)),
        p50: median(xs.map((x) => x.p50)),
        p95: median(xs.map((x) => x.p95)),
        p99: median(xs.map((x) => x.p99)),
      };
    };
    console.log(
      `\nmedian of ${rounds} round(s)\n${"phase".padEnd(20)}${"req/s".padStart(9)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}`,
    );
    for (const p of phases) {
      const m = med(p.label);
      console.log(
        `${p.label.padEnd(20)}${fmt(m.rps, 0).padStart(9)}${fmt(m.p50, 2).padStart(9)}${fmt(m.p95, 2).padStart(9)}${fmt(m.p99, 2).padStart(9)}`,
      );
    }
    const ratios = results.get("create @64")!.map((c, i) => c.rps / results.get("raw pg insert @64")![i]!.rps);
    const ratio = median(ratios);
    const p99at16 = med("create @16").p99;
    console.log(
      `\nratio create@64 / raw insert@64 per round: ${ratios.map((r) => fmt(r, 3)).join(", ")}; median ${fmt(ratio, 3)} (target >= 0.3): ${ratio >= 0.3 ? "MET" : "NOT MET"}`,
    );
    console.log(`create p99 @16 (median of rounds): ${fmt(p99at16, 2)} ms (target <= 50 ms): ${p99at16 <= 50 ? "MET" : "NOT MET"}`);
    console.log(`events published by the relay during the run: ${sidecar.publishes.length}; request errors: ${errors}`);
    if (errors > 0) process.exitCode = 1;
  } finally {
    for (const child of children) {
      if (child.exitCode !== null) continue;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    await rawPool?.end();
    await sidecar.close();
    await identity.idp.stop();
    await pgServer.stop();
  }
}

if (process.argv.includes("--serve")) await serve();
else await main();
