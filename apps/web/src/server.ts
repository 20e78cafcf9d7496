/**
 * The tiny static server: the bundle from memory, the runtime config as JSON, the SPA's index.html for every
 * other GET (client-side routes), and the security headers. Hashed assets are immutable for a year;
 * index.html, config.json and the service worker are revalidated on every load.
 */
import { createHash } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { gzipSync } from "node:zlib";
import { createRegistry } from "@tasks/shared";
import type { Asset, Bundle } from "./bundle.js";
import type { WebServerConfig } from "./config.js";

/** The Content-Security-Policy: scripts and styles from this origin only (no inline script, no eval). */
export function contentSecurityPolicy(connectOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...connectOrigins].join(" ")}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

interface Served extends Asset {
  readonly gzip: Buffer;
  readonly etag: string;
}

const prepare = (a: Asset): Served => ({
  ...a,
  gzip: gzipSync(a.body, { level: 9 }),
  etag: `"${createHash("sha256").update(a.body).digest("base64url").slice(0, 22)}"`,
});

export function createWebHandler(bundle: Bundle, config: WebServerConfig): (req: IncomingMessage, res: ServerResponse) => void {
  const csp = contentSecurityPolicy(config.connectOrigins);
  const assets = new Map([...bundle.assets].map(([p, a]) => [p, prepare(a)]));
  const configJson = prepare({ body: Buffer.from(JSON.stringify(config.runtime)), contentType: "application/json", immutable: false });
  const index = assets.get("/index.html")!;
  const common = {
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    // The authorization code comes back in the URL: never send it on as a referrer.
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
  };

  const send = (req: IncomingMessage, res: ServerResponse, a: Served, cache: string, extra: Record<string, string> = {}) => {
    if (req.headers["if-none-match"] === a.etag) {
      res.writeHead(304, { ...common, etag: a.etag, "cache-control": cache, ...extra }).end();
      return;
    }
    const gz = /\bgzip\b/.test(String(req.headers["accept-encoding"] ?? ""));
    const body = gz ? a.gzip : a.body;
    res.writeHead(200, {
      ...common,
      "content-type": a.contentType,
      "content-length": String(body.length),
      "cache-control": cache,
      etag: a.etag,
      vary: "accept-encoding",
      ...(gz ? { "content-encoding": "gzip" } : {}),
      ...extra,
    });
    res.end(req.method === "HEAD" ? undefined : body);
  };

  const metrics = createRegistry("web");
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://web");
    const p = url.pathname;
    if (p === "/healthz" || p === "/readyz") return void res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    // Prometheus scrapes the pod directly; through the ingress (which adds X-Forwarded-For) /metrics is not served.
    if (p === "/metrics" && !req.headers["x-forwarded-for"]) {
      return void metrics.metrics().then((body) => res.writeHead(200, { "content-type": metrics.contentType }).end(body));
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      return void res.writeHead(405, { ...common, allow: "GET, HEAD", "content-type": "text/plain" }).end("method not allowed\n");
    }
    // The Dapr sidecar asks its app for /dapr/config and /dapr/subscribe: this app has neither.
    if (p.startsWith("/dapr/")) return void res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
    if (p === "/config.json") return send(req, res, configJson, "no-cache");
    if (p === "/sw.js") return send(req, res, assets.get("/sw.js")!, "no-cache", { "service-worker-allowed": "/" });
    const asset = assets.get(p);
    if (asset?.immutable) return send(req, res, asset, "public, max-age=31536000, immutable");
    // Unknown files (an old hash after a deploy, a typo) are 404, not the page: a script tag must not get HTML.
    if (p.startsWith("/assets/") || /\.[a-z0-9]{1,5}$/i.test(p)) {
      return void res.writeHead(404, { ...common, "content-type": "text/plain", "cache-control": "no-store" }).end("not found\n");
    }
    return send(req, res, index, "no-cache");
  };
}
