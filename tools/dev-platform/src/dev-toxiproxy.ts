/**
 * Toxiproxy (github.com/Shopify/toxiproxy/v2, built by scripts/integration/toxiproxy-binary.sh) for the
 * network-fault tests: one TCP proxy per path (each daprd → Kafka, each service → Postgres) and a small
 * client for its HTTP API (toxics: latency with jitter, bandwidth, reset_peer, timeout).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { ManagedProcess, waitReady } from "./dev-process.js";
import { repoRoot, uniquePort, type StartContext } from "./dev-start.js";

const run = promisify(execFile);

/** A toxic's kind and attributes, as Toxiproxy's API takes them (toxics/*.go of v2.5.0). */
export type Toxic =
  | { readonly type: "latency"; readonly attributes: { readonly latency: number; readonly jitter?: number } }
  | { readonly type: "bandwidth"; readonly attributes: { readonly rate: number } }
  | { readonly type: "reset_peer"; readonly attributes: { readonly timeout: number } }
  | { readonly type: "timeout"; readonly attributes: { readonly timeout: number } };

export interface ToxicSpec {
  readonly name: string;
  readonly toxic: Toxic;
  /** "downstream" (server → client) or "upstream" (client → server). @default "downstream" */
  readonly stream?: "upstream" | "downstream";
  /** Share of connections the toxic applies to, 0..1. @default 1 */
  readonly toxicity?: number;
}

/** The proxies of a platform started with `networkFaults`, by name: `kafka-<service>`, `postgres-<service>`. */
export interface NetworkFaults {
  readonly apiUrl: string;
  /** Every proxy's name and listen port. */
  readonly proxies: Readonly<Record<string, { readonly listen: number; readonly upstream: string }>>;
  addToxic(proxy: string, spec: ToxicSpec): Promise<void>;
  removeToxic(proxy: string, name: string): Promise<void>;
  /**
   * A partition of `proxy`: every byte held both ways on open and new connections (timeout toxics with
   * timeout 0, what a black-holed route does), until `heal`.
   */
  partition(proxy: string): Promise<void>;
  heal(proxy: string): Promise<void>;
  /** Removes every toxic of every proxy. */
  reset(): Promise<void>;
}

async function call(apiUrl: string, method: string, route: string, body?: unknown): Promise<void> {
  const res = await fetch(`${apiUrl}${route}`, {
    method,
    ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`toxiproxy ${method} ${route}: HTTP ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** The toxiproxy-server binary: $TOXIPROXY_SERVER, or the one toxiproxy-binary.sh finds or builds. */
async function toxiproxyBinary(): Promise<string> {
  if (process.env.TOXIPROXY_SERVER) return process.env.TOXIPROXY_SERVER;
  const script = path.join(repoRoot, "scripts", "integration", "toxiproxy-binary.sh");
  const { stdout } = await run(script, [], { maxBuffer: 1 << 20, timeout: 15 * 60_000 });
  const bin = /^TOXIPROXY_SERVER=(.+)$/m.exec(stdout)?.[1];
  if (!bin) throw new Error(`toxiproxy-binary.sh printed no TOXIPROXY_SERVER:\n${stdout}`);
  return bin;
}

/** A client for a running toxiproxy-server's API. */
export function toxiproxyClient(apiUrl: string, proxies: NetworkFaults["proxies"]): NetworkFaults {
  const partitionToxics = ["partition-up", "partition-down"] as const;
  return {
    apiUrl,
    proxies,
    addToxic: (proxy, s) =>
      call(apiUrl, "POST", `/proxies/${proxy}/toxics`, {
        name: s.name,
        type: s.toxic.type,
        stream: s.stream ?? "downstream",
        toxicity: s.toxicity ?? 1,
        attributes: s.toxic.attributes,
      }),
    removeToxic: (proxy, name) => call(apiUrl, "DELETE", `/proxies/${proxy}/toxics/${name}`),
    partition: async (proxy) => {
      for (const [i, name] of partitionToxics.entries()) {
        await call(apiUrl, "POST", `/proxies/${proxy}/toxics`, {
          name,
          type: "timeout",
          stream: i === 0 ? "upstream" : "downstream",
          toxicity: 1,
          attributes: { timeout: 0 },
        });
      }
    },
    heal: async (proxy) => {
      for (const name of partitionToxics) await call(apiUrl, "DELETE", `/proxies/${proxy}/toxics/${name}`);
    },
    reset: () => call(apiUrl, "POST", "/reset"),
  };
}

/** A started toxiproxy-server; `proxy` creates one proxy to `upstream` and returns its listen port. */
export interface ToxiproxyServer {
  readonly apiUrl: string;
  proxy(name: string, upstream: string, listenPort?: number): Promise<number>;
  client(): NetworkFaults;
}

/** Starts toxiproxy-server on loopback (stopped with the platform). */
export async function startToxiproxy(ctx: StartContext): Promise<ToxiproxyServer> {
  const binary = await ctx.step("toxiproxy binary", toxiproxyBinary);
  const port = await uniquePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  const server = new ManagedProcess({
    name: "toxiproxy",
    command: binary,
    args: ["-host", "127.0.0.1", "-port", String(port)],
    logFile: path.join(ctx.logs, "toxiproxy.log"),
  });
  await ctx.step("toxiproxy", async () => {
    server.start();
    ctx.onStop("toxiproxy", () => server.stop());
    await waitReady(server, `${apiUrl}/version`, ctx.timeoutMs);
  });
  const proxies: Record<string, { listen: number; upstream: string }> = {};
  return {
    apiUrl,
    async proxy(name, upstream, listenPort) {
      const listen = listenPort ?? (await uniquePort());
      await call(apiUrl, "POST", "/proxies", { name, listen: `127.0.0.1:${listen}`, upstream, enabled: true });
      proxies[name] = { listen, upstream };
      return listen;
    },
    client: () => toxiproxyClient(apiUrl, proxies),
  };
}
