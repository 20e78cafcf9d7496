/**
 * A real HTTP server standing in for the Dapr sidecar's HTTP API: records publishes
 * (`POST /v1.0/publish/<pubsub>/<topic>`), serves secrets and health, and can be told to fail.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedPublish {
  readonly pubsub: string;
  readonly topic: string;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface FakeSidecar {
  readonly url: string;
  readonly publishes: RecordedPublish[];
  readonly requests: RecordedRequest[];
  /** Status for the next publishes (e.g. 500); null = succeed (204). */
  publishStatus: number | null;
  /** Answer for GET /v1.0/healthz/outbound. @default 204 */
  healthStatus: number;
  /** Secrets served by GET /v1.0/secrets/<store>/<name>. */
  secrets: Record<string, string>;
  /** When set, every call but GET /v1.0/healthz[/outbound] needs it in `dapr-api-token` (401 otherwise), as daprd with DAPR_API_TOKEN. */
  apiToken: string | null;
  /** Extra handler for other paths (e.g. service invocation); return false to 404. */
  onRequest?: (req: RecordedRequest, res: http.ServerResponse) => boolean;
  /** Resolves when `n` publishes have been recorded in total. */
  waitForPublishes(n: number, timeoutMs?: number): Promise<RecordedPublish[]>;
  close(): Promise<void>;
}

export async function startFakeSidecar(): Promise<FakeSidecar> {
  const waiters: (() => void)[] = [];
  const state: Omit<FakeSidecar, "url" | "waitForPublishes" | "close"> = {
    publishes: [],
    requests: [],
    publishStatus: null,
    healthStatus: 204,
    secrets: {},
    apiToken: null,
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      const rec: RecordedRequest = {
        method: req.method ?? "GET",
        path,
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      state.requests.push(rec);
      const exempt = req.method === "GET" && (path === "/v1.0/healthz" || path === "/v1.0/healthz/outbound");
      if (state.apiToken !== null && !exempt && req.headers["dapr-api-token"] !== state.apiToken) {
        res.writeHead(401).end("invalid api token");
        return;
      }
      const pub = /^\/v1\.0\/publish\/([^/]+)\/([^/]+)$/.exec(path);
      const secret = /^\/v1\.0\/secrets\/([^/]+)\/([^/]+)$/.exec(path);
      if (req.method === "POST" && pub) {
        if (state.publishStatus !== null) {
          res
            .writeHead(state.publishStatus, { "content-type": "application/json" })
            .end(JSON.stringify({ errorCode: "ERR_PUBSUB_PUBLISH_MESSAGE", message: "injected failure" }));
          return;
        }
        state.publishes.push({
          pubsub: decodeURIComponent(pub[1] ?? ""),
          topic: decodeURIComponent(pub[2] ?? ""),
          contentType: req.headers["content-type"],
          body: JSON.parse(rec.body) as unknown,
        });
        res.writeHead(204).end();
        for (const w of waiters.splice(0)) w();
        return;
      }
      if (req.method === "GET" && path === "/v1.0/metadata") {
        // @dapr/dapr's client reads it once to know the sidecar is up.
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ id: "fake-sidecar", components: [] }));
        return;
      }
      if (req.method === "GET" && path === "/v1.0/healthz/outbound") {
        res.writeHead(state.healthStatus).end();
        return;
      }
      if (req.method === "GET" && secret) {
        const name = decodeURIComponent(secret[2] ?? "");
        const value = state.secrets[name];
        if (value === undefined)
          res.writeHead(500, { "content-type": "application/json" }).end(JSON.stringify({ errorCode: "ERR_SECRET_GET" }));
        else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ [name]: value }));
        return;
      }
      if (state.onRequest?.(rec, res)) return;
      res.writeHead(404).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  const sidecar = state as FakeSidecar;
  Object.assign(sidecar, {
    url: `http://127.0.0.1:${port}`,
    async waitForPublishes(n: number, timeoutMs = 5000): Promise<RecordedPublish[]> {
      const deadline = Date.now() + timeoutMs;
      while (state.publishes.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${n} publishes, got ${state.publishes.length} within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 100));
          waiters.push(() => (clearTimeout(t), resolve()));
        });
      }
      return state.publishes;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  });
  return sidecar;
}
