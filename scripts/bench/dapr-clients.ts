/**
 * `npm run bench:dapr`: @dapr/dapr's DaprClient (HTTP) next to the services' own raw HTTP client
 * (@tasks/shared: `http` = sidecarRequest, node:http keep-alive; `fetch` = sidecarFetch, the global fetch)
 * for the sidecar calls they make — publish, state save +
 * get, secret get, service invocation, metadata, health — against a REAL daprd (the integration tier's
 * cached binary, scripts/integration/dapr-binaries.sh) with in-memory pub/sub and state, a local-file
 * secret store, Dapr's API token on (so a client that does not send `dapr-api-token` fails) and a tiny
 * app as the invocation target (invoking its own app id). Both clients run in this process, one after
 * the other, on the same daprd. Prints per call and client: sequential p50/p99 latency and
 * throughput at 16 calls in flight, the SDK/http ratio, and the load average.
 * Each call is measured ROUNDS times, raw and SDK interleaved; the best round of each is printed.
 * Usage: npm run bench:dapr [-- --calls 2000 --concurrency 16 --rounds 3]
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CommunicationProtocolEnum, DaprClient, HttpMethod, LogLevel } from "@dapr/dapr";
import { freePort } from "@tasks/dev-platform/test-servers";
import { sidecarRequest, waitForSidecar, type SidecarOptions } from "@tasks/shared";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const CALLS = arg("calls", 2000);
const CONCURRENCY = arg("concurrency", 16);
const ROUNDS = arg("rounds", 3);
const token = "bench-dapr-api-token-of-at-least-32-characters";

const component = (name: string, type: string, metadata: Record<string, string> = {}) =>
  `apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  version: v1\n  metadata:\n` +
  Object.entries(metadata)
    .map(([k, v]) => `    - name: ${k}\n      value: "${v}"\n`)
    .join("");

/** daprd (API token on) in front of an echo app; returns its HTTP URL and a stop function. */
async function startDaprd(): Promise<{ url: string; stop: () => void }> {
  const daprd = /^DAPRD=(.*)$/m.exec(execFileSync(path.join(root, "scripts/integration/dapr-binaries.sh"), { encoding: "utf8" }))?.[1];
  if (!daprd) throw new Error("scripts/integration/dapr-binaries.sh printed no DAPRD");
  const dir = mkdtempSync(path.join(tmpdir(), "bench-dapr-"));
  writeFileSync(path.join(dir, "secrets.json"), JSON.stringify({ "bench-secret": "value" }));
  writeFileSync(path.join(dir, "pubsub.yaml"), component("pubsub", "pubsub.in-memory"));
  writeFileSync(path.join(dir, "state.yaml"), component("statestore", "state.in-memory"));
  writeFileSync(
    path.join(dir, "secrets.yaml"),
    component("secretstore", "secretstores.local.file", { secretsFile: path.join(dir, "secrets.json") }),
  );
  const app = http.createServer((req, res) => {
    req.resume();
    req.on("end", () =>
      req.url === "/echo" ? res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}') : res.writeHead(404).end(),
    );
  });
  const appPort = await freePort();
  await new Promise<void>((r) => app.listen(appPort, "127.0.0.1", r));
  const [httpPort, grpcPort, internalPort, metricsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const args = ["--app-id", "bench", "--app-port", String(appPort), "--app-channel-address", "127.0.0.1", "--resources-path", dir];
  args.push("--dapr-http-port", String(httpPort), "--dapr-grpc-port", String(grpcPort), "--dapr-internal-grpc-port", String(internalPort));
  args.push("--metrics-port", String(metricsPort), "--dapr-listen-addresses", "127.0.0.1", "--log-level", "warn", "--mode", "standalone");
  const proc = spawn(daprd, args, { env: { ...process.env, DAPR_API_TOKEN: token }, stdio: ["ignore", "ignore", "inherit"] });
  const url = `http://127.0.0.1:${httpPort}`;
  await waitForSidecar({ daprHttpUrl: url, deadlineMs: 60_000 });
  return { url, stop: () => (proc.kill("SIGTERM"), app.close(), rmSync(dir, { recursive: true, force: true })) };
}

type Call = (i: number) => Promise<unknown>;
interface Result {
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
}

async function measure(call: Call): Promise<Result> {
  for (let i = 0; i < 200; i++) await call(i); // warm-up: connections, JIT
  const latencies: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const t = performance.now();
    await call(i);
    latencies.push(performance.now() - t);
  }
  latencies.sort((a, b) => a - b);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < CALLS) await call(next++);
    }),
  );
  const perSecond = CALLS / ((performance.now() - t0) / 1000);
  return { p50: latencies[Math.floor(CALLS * 0.5)]!, p99: latencies[Math.floor(CALLS * 0.99)]!, perSecond };
}

/** Fails on anything but a 2xx, as the services do. */
async function ok(p: Promise<{ status: number; text: string }>): Promise<void> {
  const r = await p;
  if (r.status < 200 || r.status > 299) throw new Error(`HTTP ${r.status}: ${r.text}`);
}

/** The services' raw client: node:http with a keep-alive agent (`sidecarRequest`), or fetch when `opts.fetch` is set (`sidecarFetch`'s path). */
function rawCalls(sidecar: SidecarOptions): Record<string, Call> {
  const json = { "content-type": "application/json" };
  return {
    publish: (i) => ok(sidecarRequest(sidecar, "POST", "/v1.0/publish/pubsub/bench", JSON.stringify({ i }), json)),
    "state save+get": async (i) => {
      await ok(sidecarRequest(sidecar, "POST", "/v1.0/state/statestore", JSON.stringify([{ key: `k${i % 100}`, value: { i } }]), json));
      await ok(sidecarRequest(sidecar, "GET", `/v1.0/state/statestore/k${i % 100}`));
    },
    "secret get": () => ok(sidecarRequest(sidecar, "GET", "/v1.0/secrets/secretstore/bench-secret")),
    invoke: (i) => ok(sidecarRequest(sidecar, "POST", "/v1.0/invoke/bench/method/echo", JSON.stringify({ i }), json)),
    metadata: () => ok(sidecarRequest(sidecar, "GET", "/v1.0/metadata")),
    health: () => ok(sidecarRequest(sidecar, "GET", "/v1.0/healthz/outbound")),
  };
}

function sdkCalls(client: DaprClient): Record<string, Call> {
  return {
    publish: async (i) => {
      const r = await client.pubsub.publish("pubsub", "bench", { i });
      if (r.error) throw r.error; // the SDK returns publish errors instead of throwing them
    },
    "state save+get": async (i) => {
      await client.state.save("statestore", [{ key: `k${i % 100}`, value: { i } }]);
      await client.state.get("statestore", `k${i % 100}`);
    },
    "secret get": () => client.secret.get("secretstore", "bench-secret"),
    invoke: (i) => client.invoker.invoke("bench", "echo", HttpMethod.POST, { i }),
    metadata: () => client.metadata.get(),
    health: () => client.health.isHealthy(),
  };
}

const fmt = (n: number, digits = 2) => n.toFixed(digits).padStart(9);

async function main(): Promise<void> {
  const daprd = await startDaprd();
  try {
    const port = new URL(daprd.url).port;
    const client = new DaprClient({
      daprHost: "127.0.0.1",
      daprPort: port,
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      daprApiToken: token,
      logger: { level: LogLevel.Warn },
    });
    const raw = rawCalls({ daprHttpUrl: daprd.url, apiToken: token });
    const viaFetch = rawCalls({ daprHttpUrl: daprd.url, apiToken: token, fetch: globalThis.fetch });
    const sdk = sdkCalls(client);
    console.log(`bench:dapr — real daprd (in-memory pub/sub + state, local-file secrets, API token on), ${CALLS} calls per phase`);
    console.log(
      `${"call".padEnd(16)}${"client".padEnd(8)}${"p50 ms".padStart(9)}${"p99 ms".padStart(9)}${`calls/s@${CONCURRENCY}`.padStart(14)}  SDK/http calls/s`,
    );
    const best = (a: Result | undefined, b: Result): Result =>
      a ? { p50: Math.min(a.p50, b.p50), p99: Math.min(a.p99, b.p99), perSecond: Math.max(a.perSecond, b.perSecond) } : b;
    for (const name of Object.keys(raw)) {
      let r: Result | undefined;
      let f: Result | undefined;
      let s: Result | undefined;
      for (let round = 0; round < ROUNDS; round++) {
        r = best(r, await measure(raw[name]!));
        f = best(f, await measure(viaFetch[name]!));
        s = best(s, await measure(sdk[name]!));
      }
      if (!r || !f || !s) throw new Error("no rounds");
      console.log(`${name.padEnd(16)}${"http".padEnd(8)}${fmt(r.p50)}${fmt(r.p99)}${fmt(r.perSecond, 0).padStart(14)}`);
      console.log(`${"".padEnd(16)}${"fetch".padEnd(8)}${fmt(f.p50)}${fmt(f.p99)}${fmt(f.perSecond, 0).padStart(14)}`);
      console.log(
        `${"".padEnd(16)}${"sdk".padEnd(8)}${fmt(s.p50)}${fmt(s.p99)}${fmt(s.perSecond, 0).padStart(14)}  ${(s.perSecond / r.perSecond).toFixed(2)}`,
      );
    }
    await client.stop();
    console.log(
      `load average: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
  } finally {
    daprd.stop();
  }
}

await main();
