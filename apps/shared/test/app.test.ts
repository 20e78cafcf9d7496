import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, test } from "node:test";
import express from "express";
import { z } from "zod";
import { createServiceApp } from "../src/app.js";
import { ConflictError, parseOrThrow, ValidationError } from "../src/errors.js";
import { createLogger } from "../src/logging.js";
import { createRegistry } from "../src/metrics.js";
import { request } from "../src/testing/inject.js";
import { daprHeaders, signTestToken, testAppToken, testJwtKey } from "../src/testing/tokens.js";
import { userIdOf } from "../src/auth.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, logger: createLogger({ service: "svc", level: "info", destination }) };
}

const bodySchema = z.object({ name: z.string().min(1), count: z.number().int() }).strict();

function makeApp() {
  const { lines, logger } = capture();
  const registry = createRegistry("svc");
  const { app } = createServiceApp({
    logger,
    registry,
    readiness: {},
    bodyLimit: "1kb",
    daprAppToken: testAppToken,
    openPaths: ["/things", "/boom", "/conflict", "/invalid"],
    routes: (a) => {
      a.post("/things", (req, res) => {
        logger.info("creating");
        res.status(201).json(parseOrThrow(bodySchema, req.body));
      });
      a.get("/boom", () => {
        throw new Error("secret internal detail");
      });
      a.get("/conflict", () => {
        throw new ConflictError("Already done.");
      });
      a.get("/invalid", () => {
        throw new ValidationError([{ field: "q", message: "Too long." }]);
      });
    },
  });
  return { app, lines, registry };
}

const problemType = "application/problem+json; charset=utf-8";

test("validation errors answer 400 problem+json naming each invalid field", async () => {
  const { app } = makeApp();
  const res = await request(app, { method: "POST", url: "/things", body: { name: "", count: 1.5, extra: true } });
  assert.equal(res.status, 400);
  assert.equal(res.headers["content-type"], problemType);
  const body = res.json<{ errors: { field: string; message: string }[]; title: string; status: number; instance: string }>();
  assert.equal(body.title, "Bad Request");
  assert.equal(body.status, 400);
  assert.equal(body.instance, "/things");
  assert.deepEqual(body.errors.map((e) => e.field).sort(), ["count", "extra", "name"]);
  assert.equal(body.errors.find((e) => e.field === "extra")?.message, "Unknown field.");
});

test("malformed JSON is 400, an oversized body is 413, an unknown route 404, all problem+json", async () => {
  const { app } = makeApp();
  const bad = await request(app, { method: "POST", url: "/things", body: "{nope", headers: { "content-type": "application/json" } });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.json<{ errors: unknown }>().errors, [{ field: "body", message: "Malformed JSON." }]);
  const big = await request(app, { method: "POST", url: "/things", body: { name: "x".repeat(2000), count: 1 } });
  assert.equal(big.status, 413);
  assert.equal(big.headers["content-type"], problemType);
  assert.equal(big.json<{ detail: string }>().detail, "The request body exceeds the limit of 1024 bytes.");
  const missing = await request(app, { url: "/nope", headers: { "dapr-api-token": testAppToken } });
  assert.equal(missing.status, 404);
  assert.equal(missing.json<{ detail: string }>().detail, "No route for GET /nope.");
  const conflict = await request(app, { url: "/conflict" });
  assert.deepEqual([conflict.status, conflict.json<{ detail: string }>().detail], [409, "Already done."]);
  const invalid = await request(app, { url: "/invalid" });
  assert.deepEqual(invalid.json<{ errors: unknown }>().errors, [{ field: "q", message: "Too long." }]);
});

test("unexpected errors are logged with the correlation id and answered with a generic 500", async () => {
  const { app, lines } = makeApp();
  const traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
  const res = await request(app, { url: "/boom", headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
  assert.equal(res.status, 500);
  assert.equal(res.text.includes("secret internal detail"), false);
  assert.deepEqual(res.body, {
    type: "about:blank",
    title: "Internal Server Error",
    status: 500,
    detail: "An unexpected error occurred.",
    correlationId: traceId,
  });
  const logged = lines.find((l) => l.msg === "unexpected error");
  assert.equal(logged?.correlationId, traceId);
  assert.equal((logged?.err as { message: string }).message, "secret internal detail");
  assert.match(String(res.headers.traceparent), new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
});

test("every log line inside a request carries the correlation id; a missing traceparent starts a trace", async () => {
  const { app, lines } = makeApp();
  await request(app, { method: "POST", url: "/things", body: { name: "a", count: 1 } });
  const line = lines.find((l) => l.msg === "creating");
  assert.match(String(line?.correlationId), /^[0-9a-f]{32}$/);
  assert.equal(line?.service, "svc");
  assert.equal(line?.level, "info");
});

test("the HTTP latency histogram labels the route pattern, health and metrics are served", async () => {
  const { app, registry } = makeApp();
  await request(app, { method: "POST", url: "/things", body: { name: "a", count: 1 } });
  assert.deepEqual((await request(app, { url: "/healthz" })).body, { status: "ok" });
  assert.deepEqual((await request(app, { url: "/readyz" })).body, { status: "ok", checks: {} });
  const metrics = await request(app, { url: "/metrics" });
  assert.match(metrics.text, /http_request_duration_seconds_count\{service="svc",method="POST",route="\/things",status="201"\} 1/);
  assert.deepEqual(
    (await registry.getMetricsAsJSON()).map((m) => m.name),
    ["http_request_duration_seconds"],
  );
});

describe("who may call what (issue 21): decided before the body is parsed", () => {
  function gated() {
    const { logger } = capture();
    return createServiceApp({
      logger,
      registry: createRegistry("svc"),
      readiness: {},
      daprAppToken: testAppToken,
      publicRoutes: { paths: ["/api/v1/things"], auth: { hs256Key: testJwtKey } },
      openPaths: ["/api/v1/openapi.json"],
      preRoutes: (a) => a.post("/events/thing", express.json(), (req, res) => void res.json({ status: "SUCCESS", got: req.body })),
      routes: (a) => {
        a.get("/api/v1/openapi.json", (_req, res) => void res.json({ openapi: "3.1.0" }));
        a.get("/api/v1/things", (req, res) => void res.json({ user: userIdOf(req) }));
        a.post("/api/v1/things", (req, res) => void res.status(201).json({ user: userIdOf(req), body: req.body }));
        a.delete("/api/v1/things/:id", (_req, res) => void res.status(204).end());
        a.post("/internal/do", (req, res) => void res.json({ caller: req.get("dapr-caller-app-id") }));
      },
    }).app;
  }

  test("Dapr routes need the app token: without it (or with a wrong one) 401, even with a caller header", async () => {
    const app = gated();
    for (const headers of [
      {} as Record<string, string>,
      { "dapr-api-token": "wrong" },
      { "dapr-api-token": `${testAppToken}x` },
      { "dapr-caller-app-id": "recurrence" },
    ]) {
      for (const [method, url] of [
        ["POST", "/events/thing"],
        ["POST", "/internal/do"],
        ["GET", "/dapr/subscribe"],
        ["POST", "/job/x"],
      ] as const) {
        const res = await request(app, { method, url, body: {}, headers });
        assert.equal(res.status, 401, `${method} ${url} ${JSON.stringify(headers)}`);
        assert.equal(res.json<{ detail: string }>().detail, "Only the Dapr sidecar may call this route.");
      }
    }
    const ok = await request(app, {
      method: "POST",
      url: "/internal/do",
      body: {},
      headers: { ...daprHeaders, "dapr-caller-app-id": "recurrence" },
    });
    assert.deepEqual([ok.status, ok.body], [200, { caller: "recurrence" }]);
    const delivered = await request(app, { method: "POST", url: "/events/thing", body: { a: 1 }, headers: daprHeaders });
    assert.deepEqual(delivered.body, { status: "SUCCESS", got: { a: 1 } });
  });

  test("health, metrics and open paths need nothing; public paths need a user token, not the app token", async () => {
    const app = gated();
    for (const url of ["/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"])
      assert.equal((await request(app, { url })).status, 200, url);
    assert.equal((await request(app, { url: "/api/v1/things", headers: daprHeaders })).status, 401);
    const me = await request(app, { url: "/api/v1/things", token: await signTestToken("ann") });
    assert.deepEqual([me.status, me.body], [200, { user: "ann" }]);
  });

  test("authentication comes before body parsing: bad JSON without a token is 401, with one 400", async () => {
    const app = gated();
    const headers = { "content-type": "application/json" };
    const anonymous = await request(app, { method: "POST", url: "/api/v1/things", body: "{nope", headers });
    assert.equal(anonymous.status, 401);
    const forged = await request(app, { method: "POST", url: "/events/thing", body: "{nope", headers });
    assert.equal(forged.status, 401);
    const authed = await request(app, { method: "POST", url: "/api/v1/things", body: "{nope", headers, token: await signTestToken("ann") });
    assert.deepEqual([authed.status, authed.json<{ errors: unknown }>().errors], [400, [{ field: "body", message: "Malformed JSON." }]]);
  });

  test("a path parameter that is not percent-encoded UTF-8 is a 400, not a 500 (found by the fuzz test)", async () => {
    const res = await request(gated(), { method: "DELETE", url: "/api/v1/things/%ED%A0%80", token: await signTestToken("ann") });
    assert.deepEqual([res.status, res.json<{ detail: string }>().detail], [400, "The URL is not valid percent-encoded UTF-8."]);
  });

  test("an undeclared method on a served path is 405 with Allow; an unserved path stays 404", async () => {
    const app = gated();
    const token = await signTestToken("ann");
    const put = await request(app, { method: "PUT", url: "/api/v1/things", token, body: {} });
    assert.equal(put.status, 405);
    assert.equal(put.headers.allow, "GET, HEAD, POST");
    assert.equal(put.headers["content-type"], problemType);
    const patch = await request(app, { method: "PATCH", url: "/api/v1/things/42", token, body: {} });
    assert.deepEqual([patch.status, patch.headers.allow], [405, "DELETE"]);
    assert.equal((await request(app, { url: "/api/v1/things/42/nope", token })).status, 404);
  });
});

test("selfAuthenticatedPrefixes: routes under the prefix are reached without any token; the prefix is matched by path segment", async () => {
  const { logger } = capture();
  const { app } = createServiceApp({
    logger,
    registry: createRegistry("svc"),
    readiness: {},
    daprAppToken: testAppToken,
    publicRoutes: { paths: ["/api/v1/things"], auth: { hs256Key: testJwtKey } },
    selfAuthenticatedPrefixes: ["/feed"],
    routes: (a) => {
      a.get("/feed/:token.ics", (req, res) => void res.status(req.params.token === "good" ? 200 : 404).end());
      a.get("/feedx", (_req, res) => void res.status(200).end());
      a.get("/api/v1/things", (_req, res) => void res.status(200).end());
    },
  });
  assert.equal((await request(app, { url: "/feed/good.ics" })).status, 200);
  assert.equal((await request(app, { url: "/feed/bad.ics" })).status, 404);
  // Not under the prefix: a sidecar route (Dapr app token) and a public route (bearer JWT) stay closed.
  assert.equal((await request(app, { url: "/feedx" })).status, 401);
  assert.equal((await request(app, { url: "/api/v1/things" })).status, 401);
  assert.equal((await request(app, { url: "/api/v1/things", token: await signTestToken("u") })).status, 200);
});
