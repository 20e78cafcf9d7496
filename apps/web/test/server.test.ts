import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createWebApp, loadWebConfig, WebConfigError } from "../src/index.js";

let server: Server;
let base: string;
before(async () => {
  const app = await createWebApp({
    OIDC_ISSUER: "https://idp.example.test/realms/tasks",
    TASKS_API_BASE: "https://api.example.test",
    PORT: "0",
  });
  server = createServer(app.handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

describe("static server", () => {
  test("index.html: strict CSP (no inline script, no eval), revalidated every load, hashed entry named", async () => {
    const res = await fetch(`${base}/`);
    assert.equal(res.status, 200);
    const csp = res.headers.get("content-security-policy")!;
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self';/);
    assert.match(csp, /connect-src 'self' https:\/\/idp\.example\.test https:\/\/api\.example\.test;/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe/);
    assert.equal(res.headers.get("cache-control"), "no-cache");
    assert.equal(res.headers.get("referrer-policy"), "no-referrer");
    const html = await res.text();
    assert.match(html, /<script type="module" src="\/assets\/app-[A-Z0-9]+\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>|<script type="module">/, "no inline script");
  });

  test("hashed assets are immutable for a year, gzipped when asked; unknown assets are 404, not the page", async () => {
    const html = await (await fetch(`${base}/`)).text();
    const script = /src="([^"]+)"/.exec(html)![1]!;
    const res = await fetch(`${base}${script}`, { headers: { "accept-encoding": "gzip" } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(res.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal((await fetch(`${base}/assets/app-OLDHASH.js`)).status, 404);
    assert.equal((await fetch(`${base}/favicon.ico`)).status, 404);
  });

  test("/metrics is Prometheus text for a direct scrape; through the ingress (X-Forwarded-For) it is the page, not metrics", async () => {
    const direct = await fetch(`${base}/metrics`);
    assert.equal(direct.status, 200);
    assert.match(direct.headers.get("content-type") ?? "", /^text\/plain/);
    const proxied = await fetch(`${base}/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.match(proxied.headers.get("content-type") ?? "", /^text\/html/);
  });

  test("client routes get the page; config.json carries the runtime config; other methods are 405", async () => {
    assert.equal((await fetch(`${base}/tasks/anything`)).status, 200);
    const cfg = await fetch(`${base}/config.json`);
    assert.equal(cfg.headers.get("cache-control"), "no-cache");
    assert.deepEqual(await cfg.json(), {
      issuer: "https://idp.example.test/realms/tasks",
      clientId: "tasks-web",
      scope: "openid email tasks",
      resource: "",
      apiBase: { tasks: "https://api.example.test", notifications: "", audit: "" },
      realtimeUrl: "",
    });
    assert.equal((await fetch(`${base}/`, { method: "POST" })).status, 405);
    assert.equal((await fetch(`${base}/dapr/config`)).status, 404);
    const etag = (await fetch(`${base}/`)).headers.get("etag")!;
    assert.equal((await fetch(`${base}/`, { headers: { "if-none-match": etag } })).status, 304);
  });

  test("the service worker keeps a stable URL and may control the whole origin", async () => {
    const res = await fetch(`${base}/sw.js`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("service-worker-allowed"), "/");
    assert.equal(res.headers.get("cache-control"), "no-cache");
  });
});

describe("config", () => {
  test("names every bad key", () => {
    assert.throws(
      () => loadWebConfig({ PORT: "x", API_BASE: "not a url" }),
      (err: unknown) =>
        err instanceof WebConfigError &&
        err.problems.join("\n") ===
          [
            "OIDC_ISSUER: missing (or JWT_ISSUER), expected the OpenID provider's issuer URL",
            'PORT: "x" is not a port (0..65535)',
            'API_BASE: "not a url" is not an absolute URL',
          ].join("\n"),
    );
  });
  test("the issuer and resource default to the services' JWT settings", () => {
    const c = loadWebConfig({ JWT_ISSUER: "http://127.0.0.1:4100", JWT_AUDIENCE: "api://tasks-platform" });
    assert.equal(c.runtime.issuer, "http://127.0.0.1:4100");
    assert.equal(c.runtime.resource, "api://tasks-platform");
    assert.deepEqual(c.connectOrigins, ["http://127.0.0.1:4100"]);
  });
});
