import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { services } from "@tasks/catalog";

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../smoke-test.sh");
const token = "header.payload.signature-of-the-smoke-test";
const tasksRoute = services["tasks-api"].publicRoutes[0]?.path ?? "";
const auditRoute = services.audit.publicRoutes[0]?.path ?? "";

interface Fake {
  /** What the audit endpoint reports; "complete" once the task is completed, or never. */
  audit: "follow" | "never";
  failCreate: boolean;
  tasks: Map<string, { title: string; done: boolean }>;
  deleted: string[];
}

/** A stand-in for the ingress: the tasks API and audit routes the smoke test calls, with bearer auth. */
function fakePlatform(state: Fake): http.Server {
  return http.createServer((req, res) => {
    let body = "";
    req
      .on("data", (c: Buffer) => (body += c))
      .on("end", () => {
        const url = new URL(req.url ?? "/", "http://x");
        const send = (status: number, json?: unknown): void => {
          res.writeHead(status, { "content-type": "application/json" }).end(json === undefined ? undefined : JSON.stringify(json));
        };
        if (req.headers.authorization !== `Bearer ${token}`) return send(401, { title: "Unauthorized" });
        const [, id, action] = url.pathname.startsWith(`${tasksRoute}/`) ? url.pathname.slice(tasksRoute.length).split("/") : [];
        if (url.pathname === tasksRoute && req.method === "GET") return send(200, { items: [], nextCursor: null });
        if (url.pathname === tasksRoute && req.method === "POST") {
          if (state.failCreate) return send(500, { title: "boom" });
          const newId = randomUUID();
          state.tasks.set(newId, { title: (JSON.parse(body) as { title: string }).title, done: false });
          return send(201, { id: newId, title: state.tasks.get(newId)?.title });
        }
        if (id && state.tasks.has(id)) {
          const task = state.tasks.get(id)!;
          if (req.method === "GET" && !action) return send(200, { id, title: task.title });
          if (req.method === "POST" && action === "complete") {
            task.done = true;
            return send(200, { id, status: "completed" });
          }
          if (req.method === "DELETE" && !action) {
            state.tasks.delete(id);
            state.deleted.push(id);
            return send(204);
          }
        }
        if (url.pathname === auditRoute) {
          const task = state.tasks.get(url.searchParams.get("taskId") ?? "");
          const items = [{ action: "task.created" }, ...(task?.done && state.audit === "follow" ? [{ action: "task.completed" }] : [])];
          return send(200, { items, nextCursor: null });
        }
        if (url.pathname.startsWith("/api/v1/")) return send(200, { items: [] });
        return send(404);
      });
  });
}

function runSmoke(
  port: number,
  extra: string[] = [],
  opts: { scheme?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      "bash",
      [script, "--base-url", `${opts.scheme ?? "http"}://127.0.0.1:${port}/`, "--token-env", "FAKE_TOKEN", "--timeout", "4", ...extra],
      {
        env: { ...process.env, FAKE_TOKEN: token, GITHUB_ACTIONS: "", ...opts.env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b));
    child.stderr.on("data", (b: Buffer) => (out += b));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

describe("scripts/smoke-test.sh", () => {
  const state: Fake = { audit: "follow", failCreate: false, tasks: new Map(), deleted: [] };
  const server = fakePlatform(state);
  let port = 0;
  before(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it("passes a healthy platform, cleans up its task, and never prints the token", async () => {
    const { code, out } = await runSmoke(port);
    assert.equal(code, 0, out);
    assert.match(out, /smoke-test: {3}\/api\/v1\/tasks -> 401 without a token/);
    assert.match(out, /audit trail has: task\.completed,task\.created/);
    assert.match(out, /smoke-test: PASS\n$/);
    assert.doesNotMatch(out, new RegExp(token));
    assert.equal(state.tasks.size, 0);
    assert.equal(state.deleted.length, 1);
  });

  it("fails when the audit trail never sees the completion, and still deletes its task", async () => {
    state.audit = "never";
    const { code, out } = await runSmoke(port);
    state.audit = "follow";
    assert.equal(code, 1);
    assert.match(out, /smoke-test: FAIL: audit trail for [0-9a-f-]{36} incomplete after 4s \(HTTP 200, actions: task\.created\)/);
    assert.equal(state.tasks.size, 0, "the exit trap deletes the task");
  });

  it("fails with the status and body of a broken create", async () => {
    state.failCreate = true;
    const { code, out } = await runSmoke(port);
    state.failCreate = false;
    assert.equal(code, 1);
    assert.match(out, /smoke-test: FAIL: POST \/api\/v1\/tasks: expected HTTP 201, got 500: \{"title":"boom"\}/);
  });

  it("refuses to run without a token", async () => {
    const child = await new Promise<{ code: number; out: string }>((resolve) => {
      const c = spawn("bash", [script, "--base-url", `http://127.0.0.1:${port}`], {
        env: { ...process.env, SMOKE_TOKEN: "" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let out = "";
      c.stderr.on("data", (b: Buffer) => (out += b));
      c.on("close", (code) => resolve({ code: code ?? 1, out }));
    });
    assert.equal(child.code, 1);
    assert.equal(child.out, "smoke-test: FAIL: no token: pass --token-cmd, --token-file or set $SMOKE_TOKEN\n");
  });

  describe("--tls-issuer letsencrypt-staging (dev's certificates)", () => {
    // A throwaway CA stands in for Let's Encrypt's staging root: the platform serves a certificate it signed.
    const dir = mkdtempSync(path.join(os.tmpdir(), "smoke-tls-"));
    const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
    let tlsServer: https.Server;
    let roots: http.Server;
    let tlsPort = 0;
    let rootsUrl = "";
    before(async () => {
      ssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=(STAGING) test root",
      );
      ssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "tls.key",
        "-out",
        "tls.csr",
        "-subj",
        "/CN=127.0.0.1",
      );
      writeFileSync(path.join(dir, "san.ext"), "subjectAltName=IP:127.0.0.1\n");
      ssl(
        "x509",
        "-req",
        "-in",
        "tls.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "tls.pem",
        "-days",
        "1",
        "-extfile",
        "san.ext",
      );
      const handler = server.listeners("request")[0] as http.RequestListener;
      tlsServer = https.createServer(
        { key: readFileSync(path.join(dir, "tls.key")), cert: readFileSync(path.join(dir, "tls.pem")) },
        handler,
      );
      roots = http.createServer((req, res) =>
        /^\/letsencrypt-stg-root-x[12]\.pem$/.test(req.url ?? "")
          ? res.end(readFileSync(path.join(dir, "ca.pem")))
          : res.writeHead(404).end(),
      );
      await new Promise<void>((r) => tlsServer.listen(0, "127.0.0.1", r));
      await new Promise<void>((r) => roots.listen(0, "127.0.0.1", r));
      tlsPort = (tlsServer.address() as AddressInfo).port;
      rootsUrl = `http://127.0.0.1:${(roots.address() as AddressInfo).port}`;
    });
    after(async () => {
      await new Promise<void>((r) => tlsServer.close(() => r()));
      await new Promise<void>((r) => roots.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    });

    it("trusts the staging roots it fetches, and only for this run", async () => {
      const { code, out } = await runSmoke(tlsPort, ["--tls-issuer", "letsencrypt-staging"], {
        scheme: "https",
        env: { SMOKE_STAGING_ROOTS_URL: rootsUrl },
      });
      assert.equal(code, 0, out);
      assert.match(out, /trusting Let's Encrypt's staging roots/);
      assert.match(out, /smoke-test: PASS\n$/);
    });

    it("fails on the same certificate without it (the system trust store has no staging root)", async () => {
      const { code, out } = await runSmoke(tlsPort, [], { scheme: "https" });
      assert.equal(code, 1);
      assert.match(out, /smoke-test: FAIL/);
    });

    it("names an unknown issuer and refuses to mix the staging roots with --insecure", async () => {
      const unknown = await runSmoke(tlsPort, ["--tls-issuer", "letsencrypt"], { scheme: "https" });
      assert.match(unknown.out, /--tls-issuer: unknown issuer "letsencrypt" \(letsencrypt-staging, letsencrypt-prod or selfsigned\)/);
      const mixed = await runSmoke(tlsPort, ["--insecure", "--tls-issuer", "letsencrypt-staging"], { scheme: "https" });
      assert.match(mixed.out, /decides the trust itself: drop --cacert\/--insecure/);
    });
  });
});
