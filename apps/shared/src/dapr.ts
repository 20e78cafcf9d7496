/** Small clients for the Dapr sidecar's HTTP API (publish, secrets, health). */
import http from "node:http";
import { daprClient, sdkErrorStatus } from "./dapr-sdk.js";

export interface SidecarOptions {
  /** Base URL of the sidecar HTTP API. @default http://127.0.0.1:3500 */
  readonly daprHttpUrl: string;
  /** Injected for tests. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Per-call timeout. @default 5000 */
  readonly timeoutMs?: number;
  /** Dapr's API token (catalog daprApiToken), sent as `dapr-api-token` on every call. */
  readonly apiToken?: string;
}

const withToken = (opts: SidecarOptions, headers: Readonly<Record<string, string>> = {}): Record<string, string> =>
  opts.apiToken ? { ...headers, "dapr-api-token": opts.apiToken } : { ...headers };

export class SidecarError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SidecarError";
  }
}

export async function sidecarFetch(opts: SidecarOptions, path: string, init: RequestInit = {}): Promise<Response> {
  const doFetch = opts.fetch ?? globalThis.fetch;
  const url = `${opts.daprHttpUrl.replace(/\/+$/, "")}${path}`;
  try {
    const headers = new Headers(init.headers);
    if (opts.apiToken) headers.set("dapr-api-token", opts.apiToken);
    return await doFetch(url, { ...init, headers, signal: AbortSignal.timeout(opts.timeoutMs ?? 5000) });
  } catch (err) {
    throw new SidecarError(`Dapr sidecar ${init.method ?? "GET"} ${path} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export interface SidecarResponse {
  readonly status: number;
  readonly text: string;
}

// The sidecar is on localhost: keep connections open (idle sockets do not hold the process).
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 64 });

/**
 * One HTTP call to the sidecar over a keep-alive node:http agent — much cheaper per call than
 * fetch on the hot path (the outbox relay publishes every event). Uses `opts.fetch` when given.
 */
export async function sidecarRequest(
  opts: SidecarOptions,
  method: string,
  path: string,
  body?: string,
  headers: Readonly<Record<string, string>> = {},
): Promise<SidecarResponse> {
  if (opts.fetch) {
    const res = await sidecarFetch(opts, path, { method, headers, ...(body !== undefined ? { body } : {}) });
    return { status: res.status, text: await res.text() };
  }
  const url = new URL(`${opts.daprHttpUrl.replace(/\/+$/, "")}${path}`);
  const ms = opts.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        agent: keepAlive,
        timeout: ms,
        headers: withToken(opts, { ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", (err) => reject(new SidecarError(`Dapr sidecar ${method} ${path} failed: ${err.message}`)));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${ms} ms`)));
    req.on("error", (err) => reject(new SidecarError(`Dapr sidecar ${method} ${path} failed: ${err.message}`)));
    req.end(body);
  });
}

/** `GET /v1.0/healthz/outbound`: 204 once the sidecar's components are ready. */
export async function sidecarReady(opts: SidecarOptions): Promise<void> {
  const res = await sidecarFetch(opts, "/v1.0/healthz/outbound");
  await res.body?.cancel();
  if (res.status !== 204 && res.status !== 200) throw new SidecarError(`Dapr sidecar not ready: HTTP ${res.status}`, res.status);
}

/** Polls the sidecar until ready (the JS SDK has no such helper: dapr/js-sdk#710). */
export async function waitForSidecar(opts: SidecarOptions & { readonly deadlineMs?: number; readonly intervalMs?: number }): Promise<void> {
  const deadline = Date.now() + (opts.deadlineMs ?? 60_000);
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      await sidecarReady(opts);
      return;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, opts.intervalMs ?? 500));
    }
  }
  throw new SidecarError(`Dapr sidecar at ${opts.daprHttpUrl} not ready after ${opts.deadlineMs ?? 60_000} ms: ${String(last)}`);
}

/**
 * Reads one secret through @dapr/dapr (`GET /v1.0/secrets/<store>/<name>` answers `{ "<name>": "<value>" }`);
 * errors are SidecarErrors naming the secret and the store, after `opts.timeoutMs` at the latest.
 */
export async function readSecret(opts: SidecarOptions & { readonly store: string }, name: string): Promise<string> {
  const ms = opts.timeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  let body: unknown;
  try {
    body = await Promise.race([
      daprClient(opts).secret.get(opts.store, name),
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms))),
    ]);
  } catch (err) {
    const status = sdkErrorStatus(err);
    const why = status !== undefined ? `HTTP ${status}` : err instanceof Error ? err.message : String(err);
    throw new SidecarError(`Secret "${name}" could not be read from store "${opts.store}": ${why}`, status);
  } finally {
    clearTimeout(timer);
  }
  const value = (body as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== "string" || value === "") throw new SidecarError(`Secret "${name}" in store "${opts.store}" is empty or missing`);
  return value;
}
