import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { test } from "node:test";
import { z } from "zod";
import { createServiceApp } from "../src/app.js";
import { ConflictError, parseOrThrow, ValidationError } from "../src/errors.js";
import { createLogger } from "../src/logging.js";
import { createRegistry } from "../src/metrics.js";
import { request } from "../src/testing/inject.js";

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
  const missing = await request(app, { url: "/nope" });
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
