/**
 * npm run bench:realtime — how many authenticated WebSocket clients one realtime instance holds,
 * and the fan-out latency (event POSTed to the subscription route, as Dapr delivers it → message
 * received by the owner's socket) at 1,000 and 5,000 clients. Loopback only, bounded in time.
 *
 * Processes: this one (clients and publisher), a child running the realtime app (`--server`,
 * started with the file-descriptor soft limit raised to the hard limit) and a child standing in
 * for the sidecar's state API (`--state`), as the real sidecar is a process of its own. Clients
 * are 5 sockets per user; each round publishes one update per user (one unmeasured warm-up round
 * per size). The machine load average is printed: other work on the host skews the percentiles.
 *
 * Options: --clients 1000,5000  --rounds 5  --probe 10000 (0 = skip the capacity probe)
 *          --concurrency 16 (parallel publishes, like Dapr's concurrent deliveries)  --deadline 240 (seconds for the whole run)
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { subscriptionRoute, topics } from "@tasks/catalog";
import { authEnvSchema, createLogger, createRegistry, listen, loadAuthConfig } from "@tasks/shared";
import { startIdentityProvider, type DevIdentity } from "@tasks/dev-platform/dev-identity";
import { daprHeaders, sampleTask, sampleTaskEvent, testAppToken } from "@tasks/shared/testing";
import WebSocket from "ws";
import { createRealtimeApp, daprStateHistory, wsPath } from "@tasks/realtime";

const SOCKETS_PER_USER = 5;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

// ---------------------------------------------------------------- server mode (child process)
async function serve(): Promise<void> {
  const sidecarUrl = process.env.BENCH_SIDECAR_URL;
  if (!sidecarUrl) throw new Error("BENCH_SIDECAR_URL is not set");
  const realtime = createRealtimeApp({
    logger: createLogger({ service: "realtime", level: "warn" }),
    registry: createRegistry("realtime"),
    sidecar: { daprHttpUrl: sidecarUrl },
    // The identity provider's settings, as a deployed service reads them (RS256 over its JWKS).
    auth: loadAuthConfig(authEnvSchema.parse(process.env)),
    daprAppToken: testAppToken,
    history: daprStateHistory({ daprHttpUrl: sidecarUrl, timeoutMs: 30_000 }, { store: "statestore", maxEvents: 100, ttlSeconds: 3600 }),
  });
  const server = await listen(realtime.app, 0, "127.0.0.1");
  server.maxConnections = 100_000;
  realtime.attach(server);
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
  process.on("SIGTERM", () => process.exit(0));
}

// ---------------------------------------------------------------- state API stand-in
function startStateServer(): Promise<{ url: string; close(): void; server: http.Server }> {
  const state = new Map<string, { value: string; etag: number }>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "";
      if (req.method === "GET" && url.startsWith("/v1.0/state/statestore/")) {
        const e = state.get(decodeURIComponent(url.slice("/v1.0/state/statestore/".length)));
        if (!e) return void res.writeHead(204).end();
        return void res.writeHead(200, { "content-type": "application/json", etag: String(e.etag) }).end(e.value);
      }
      if (req.method === "POST" && url === "/v1.0/state/statestore") {
        for (const item of JSON.parse(Buffer.concat(chunks).toString()) as { key: string; value: unknown; etag?: string }[]) {
          const cur = state.get(item.key);
          if (cur && item.etag !== String(cur.etag)) return void res.writeHead(409).end();
          state.set(item.key, { value: JSON.stringify(item.value), etag: (cur?.etag ?? 0) + 1 });
        }
        return void res.writeHead(204).end();
      }
      if (url === "/v1.0/healthz/outbound") return void res.writeHead(204).end();
      res.writeHead(404).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close(), server }),
    ),
  );
}

// ---------------------------------------------------------------- clients
interface Client {
  ws: WebSocket;
  userId: string;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
const fmt = (ms: number): string => `${ms.toFixed(1)} ms`;

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The bench's OpenID Provider (main process only). */
let identity: DevIdentity;

async function connectClients(
  url: string,
  count: number,
  firstUser: number,
  tokens: Map<string, string>,
  onEvent: (id: string) => void,
  deadline: number,
): Promise<Client[]> {
  const clients: Client[] = [];
  const batch = 200;
  for (let i = 0; i < count && Date.now() < deadline; i += batch) {
    const size = Math.min(batch, count - i);
    const made = await Promise.allSettled(
      Array.from({ length: size }, async (_, j) => {
        const userId = `bench-user-${firstUser + Math.floor((i + j) / SOCKETS_PER_USER)}`;
        let token = tokens.get(userId);
        if (!token) tokens.set(userId, (token = await identity.token(userId)));
        const ws = new WebSocket(url, ["tasks.v1", `bearer.${token}`], { perMessageDeflate: false });
        await new Promise<void>((resolve, reject) => {
          const t = setTimeout(() => reject(new Error("no ready within 15 s")), 15_000);
          ws.once("error", (e) => (clearTimeout(t), reject(e)));
          ws.on("message", (raw) => {
            const text = raw.toString();
            if (text.startsWith('{"type":"ready"')) {
              clearTimeout(t);
              resolve();
            } else if (text.startsWith('{"type":"event"')) {
              onEvent(JSON.parse(text).id as string);
            }
          });
        });
        return { ws, userId };
      }),
    );
    for (const r of made) if (r.status === "fulfilled") clients.push(r.value);
    if (made.some((r) => r.status === "rejected")) break;
  }
  return clients;
}

async function fanOut(
  base: string,
  users: string[],
  rounds: number,
  concurrency: number,
  received: Map<string, { sent: number; want: number; got: number[] }>,
  deadline: number,
): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const route = subscriptionRoute(topics.taskUpdated.name);
  const latencies: number[] = [];
  for (let r = 0; r < rounds && Date.now() < deadline; r++) {
    const queue = [...users];
    const ids: string[] = [];
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let userId = queue.shift(); userId !== undefined; userId = queue.shift()) {
          const task = sampleTask({ userId, title: `round ${r}` });
          const event = sampleTaskEvent("taskUpdated", { actor: userId, task, before: task, after: task, changed: ["title"] });
          const body = JSON.stringify(event);
          ids.push(event.id);
          received.set(event.id, { sent: performance.now(), want: SOCKETS_PER_USER, got: [] });
          await new Promise<void>((resolve, reject) => {
            const req = http.request(
              `${base}${route}`,
              {
                method: "POST",
                agent,
                // A delivery comes from the Dapr sidecar, with its app token (issue 21).
                headers: { ...daprHeaders, "content-type": "application/cloudevents+json", "content-length": Buffer.byteLength(body) },
              },
              (res) => {
                res.resume();
                res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`publish answered ${res.statusCode}`))));
              },
            );
            req.on("error", reject);
            req.end(body);
          });
        }
      }),
    );
    const until = Math.min(deadline, Date.now() + 30_000);
    while (Date.now() < until && ids.some((id) => received.get(id)!.got.length < received.get(id)!.want))
      await new Promise((res) => setTimeout(res, 20));
    for (const id of ids) {
      const rec = received.get(id)!;
      latencies.push(...rec.got);
      for (let k = rec.got.length; k < rec.want; k++) latencies.push(Infinity);
      received.delete(id);
    }
  }
  agent.destroy();
  return latencies.sort((a, b) => a - b);
}

async function bench(): Promise<void> {
  const sizes = arg("clients", "1000,5000").split(",").map(Number);
  const rounds = Number(arg("rounds", "5"));
  const probe = Number(arg("probe", "10000"));
  const concurrency = Number(arg("concurrency", "16"));
  const deadline = Date.now() + Number(arg("deadline", "240")) * 1000;

  const self = fileURLToPath(import.meta.url);
  const root = path.resolve(path.dirname(self), "../..");
  // Users sign in at a real OpenID Provider (code + PKCE) in this process; the server verifies over its JWKS.
  identity = await startIdentityProvider({ accessTokenTtlSeconds: 3600 });
  const stateChild = spawn(process.execPath, ["--import", "tsx", self, "--state"], { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
  const [stateLine] = (await once(stateChild.stdout!, "data")) as [Buffer];
  const state = { url: (JSON.parse(stateLine.toString()) as { url: string }).url, close: () => stateChild.kill("SIGTERM") };
  // The child raises its own soft limit on open files to the hard limit before starting node.
  const child: ChildProcess = spawn(
    "bash",
    [
      "-c",
      `ulimit -n "$(ulimit -Hn)"; echo "server ulimit -n: $(ulimit -n)" >&2; exec "${process.execPath}" --import tsx "${self}" --server`,
    ],
    {
      cwd: root,
      env: { ...process.env, ...identity.env, BENCH_SIDECAR_URL: state.url, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const stop = () => {
    if (child.exitCode === null) child.kill("SIGTERM");
    if (stateChild.exitCode === null) stateChild.kill("SIGTERM");
    void identity.idp.stop();
  };
  process.on("exit", stop);
  const [line] = (await once(child.stdout!, "data")) as [Buffer];
  const { port } = JSON.parse(line.toString()) as { port: number };
  const base = `http://127.0.0.1:${port}`;
  const url = `ws://127.0.0.1:${port}${wsPath}`;
  const serverPid = child.pid!;

  console.log(
    `realtime bench: node ${process.version}, ${(await import("node:os")).cpus().length} CPUs, loopback, ${SOCKETS_PER_USER} sockets per user, ${rounds} rounds`,
  );
  console.log(
    `load average at start: ${(await import("node:os"))
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    `bench process ulimit -n: ${readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+(\d+)/)?.[1] ?? "?"} (server child prints its own above)`,
  );

  const tokens = new Map<string, string>();
  const received = new Map<string, { sent: number; want: number; got: number[] }>();
  const onEvent = (id: string) => {
    const rec = received.get(id);
    if (rec) rec.got.push(performance.now() - rec.sent);
  };
  const rows: string[] = [];
  let clients: Client[] = [];
  for (const n of sizes) {
    if (Date.now() > deadline) break;
    const t0 = performance.now();
    clients = clients.concat(await connectClients(url, n - clients.length, clients.length / SOCKETS_PER_USER, tokens, onEvent, deadline));
    const connectMs = performance.now() - t0;
    if (clients.length < n) {
      rows.push(`${n} clients: only ${clients.length} connected before failure or deadline`);
      break;
    }
    const users = [...new Set(clients.map((c) => c.userId))];
    // One unmeasured round first: JIT warm-up and the first history write of each user.
    await fanOut(base, users, 1, concurrency, received, deadline);
    const lat = await fanOut(base, users, rounds, concurrency, received, deadline);
    const lost = lat.filter((x) => !Number.isFinite(x)).length;
    rows.push(
      `${String(n).padStart(6)} clients (${users.length} users): connect+auth ${fmt(connectMs)}; ${lat.length} deliveries, ` +
        `fan-out p50 ${fmt(percentile(lat, 50))}  p95 ${fmt(percentile(lat, 95))}  p99 ${fmt(percentile(lat, 99))}` +
        `${lost ? `, ${lost} NOT delivered` : ""}; server RSS ${rssMb(serverPid).toFixed(0)} MB`,
    );
    console.log(rows.at(-1));
  }

  if (probe > clients.length && Date.now() < deadline) {
    while (clients.length < probe && Date.now() < deadline) {
      const more = await connectClients(
        url,
        Math.min(1000, probe - clients.length),
        clients.length / SOCKETS_PER_USER,
        tokens,
        onEvent,
        deadline,
      );
      clients = clients.concat(more);
      if (more.length < Math.min(1000, probe - clients.length + more.length)) break;
    }
    console.log(
      `capacity probe: ${clients.length} authenticated sockets held concurrently (probe limit ${probe}); server RSS ${rssMb(serverPid).toFixed(0)} MB`,
    );
  }
  const target = rows.find((r) => r.trim().startsWith("5000 clients"));
  const p95 = target ? Number(/p95 ([\d.]+) ms/.exec(target)?.[1]) : NaN;
  console.log(
    `target: 5000 clients with fan-out p95 <= 150 ms → ${Number.isFinite(p95) ? (p95 <= 150 ? `met (p95 ${p95} ms)` : `NOT met (p95 ${p95} ms)`) : "not measured"}`,
  );

  for (const c of clients) c.ws.terminate();
  stop();
  state.close();
  process.exit(0);
}

if (process.argv.includes("--server")) await serve();
else if (process.argv.includes("--state")) {
  const { url } = await startStateServer();
  process.stdout.write(`${JSON.stringify({ url })}\n`);
  process.on("SIGTERM", () => process.exit(0));
} else await bench();
