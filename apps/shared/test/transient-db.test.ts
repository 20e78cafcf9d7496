import assert from "node:assert/strict";
import net from "node:net";
import { Writable } from "node:stream";
import { test } from "node:test";
import knex from "knex";
import { createServiceApp } from "../src/app.js";
import { createLogger } from "../src/logging.js";
import { createRegistry } from "../src/metrics.js";
import { request } from "../src/testing/inject.js";
import { testAppToken } from "../src/testing/tokens.js";
import { isTransientDatabaseError } from "../src/transient-db.js";

/** A port nothing listens on: bind one, close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A server that accepts a connection and resets it at once (what Toxiproxy's reset_peer does). */
async function resettingServer(): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.resetAndDestroy());
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { port: (server.address() as net.AddressInfo).port, close: () => new Promise((r) => server.close(() => r())) };
}

function appThrowing(errors: Record<string, () => Promise<unknown>>) {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString("utf8").split("\n").filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  const { app } = createServiceApp({
    logger: createLogger({ service: "svc", level: "info", destination }),
    registry: createRegistry("svc"),
    readiness: {},
    daprAppToken: testAppToken,
    openPaths: Object.keys(errors).map((k) => `/${k}`),
    routes: (a) => {
      for (const [k, fn] of Object.entries(errors))
        a.get(`/${k}`, async (_req, res) => {
          res.json(await fn());
        });
    },
  });
  return { app, lines };
}

const reject = (e: object) => () => Promise.reject(Object.assign(new Error(String((e as { message?: string }).message ?? "x")), e));

test("a transient database error answers 503 problem+json with Retry-After, logged as a warning; anything else stays a 500", async () => {
  const refused = await closedPort();
  const resetting = await resettingServer();
  const db = (port: number) =>
    knex({
      client: "pg",
      connection: { host: "127.0.0.1", port, user: "u", database: "d", connectionTimeoutMillis: 2000 },
      pool: { min: 0, max: 1 },
    });
  const refusedDb = db(refused);
  const resetDb = db(resetting.port);
  try {
    const { app, lines } = appThrowing({
      refused: () => refusedDb.raw("select 1"), // a real knex + pg query to a port nothing listens on
      reset: () => resetDb.raw("select 1"), // a real query whose connection is reset by the peer
      "admin-shutdown": reject({ code: "57P01", message: "terminating connection due to administrator command" }),
      "connection-exception": reject({ code: "08006", message: "connection failure" }),
      terminated: reject({ message: "Connection terminated unexpectedly" }),
      // A query whose connection dies mid-way, as knex reports it: the SQL, then pg's message.
      "query-terminated": reject({ message: 'update "preferences" set "email" = $1 - Connection terminated unexpectedly' }),
      "statement-timeout": reject({ code: "57014", message: "canceling statement due to statement timeout" }),
      "pool-timeout": reject({ name: "KnexTimeoutError", message: "Knex: Timeout acquiring a connection. The pool is probably full." }),
      wrapped: reject({ message: "insert failed", cause: Object.assign(new Error("read ECONNRESET"), { code: "ECONNRESET" }) }),
      "unique-violation": reject({ code: "23505", message: "duplicate key value violates unique constraint" }),
      bug: reject({ message: "Cannot read properties of undefined" }),
    });
    const transient = [
      "refused",
      "reset",
      "admin-shutdown",
      "connection-exception",
      "terminated",
      "query-terminated",
      "statement-timeout",
      "pool-timeout",
      "wrapped",
    ];
    for (const path of transient) {
      const res = await request(app, { method: "GET", url: `/${path}` });
      assert.equal(res.status, 503, `${path}: ${res.text}`);
      assert.equal(res.headers["retry-after"], "1", path);
      assert.match(String(res.headers["content-type"]), /^application\/problem\+json/);
      const body = JSON.parse(res.text) as { title: string; status: number; detail: string };
      assert.deepEqual(
        [body.title, body.status, body.detail],
        ["Service Unavailable", 503, "The database is unreachable for a moment; retry the request."],
      );
    }
    for (const path of ["unique-violation", "bug"]) {
      const res = await request(app, { method: "GET", url: `/${path}` });
      assert.equal(res.status, 500, path);
      assert.equal(res.headers["retry-after"], undefined);
    }
    const warned = lines.filter((l) => l.msg === "request failed: a dependency is unavailable");
    assert.equal(warned.length, transient.length);
    assert.ok(
      warned.every((l) => l.level === "warn" || l.level === 40),
      JSON.stringify(warned[0]),
    );
  } finally {
    await Promise.all([refusedDb.destroy(), resetDb.destroy(), resetting.close()]);
  }
});

test("isTransientDatabaseError: connection failures only, not query errors or non-errors", () => {
  for (const e of [{ code: "ECONNREFUSED" }, { code: "53300" }, { code: "57P03" }, { cause: { cause: { code: "EPIPE" } } }])
    assert.equal(isTransientDatabaseError(e), true, JSON.stringify(e));
  for (const e of [undefined, null, "ECONNRESET", { code: "23505" }, { code: "42P01" }, { message: "syntax error" }, { code: 8006 }])
    assert.equal(isTransientDatabaseError(e), false, JSON.stringify(e));
});
