import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, test } from "node:test";
import { daprComponents } from "@tasks/catalog";
import { z } from "zod";
import { listen } from "../src/app.js";
import { baseEnvSchema, ConfigError, daprHttpUrl, loadEnv } from "../src/config.js";
import { readSecret, SidecarError } from "../src/dapr.js";
import { createLogger } from "../src/logging.js";
import { createShutdown } from "../src/shutdown.js";
import { startFakeSidecar, type FakeSidecar } from "../src/testing/fake-sidecar.js";
import express from "express";

let sidecar: FakeSidecar;
before(async () => {
  sidecar = await startFakeSidecar();
});
after(() => sidecar.close());

test("loadEnv applies defaults and reports one message per bad key", () => {
  const env = loadEnv(baseEnvSchema, {});
  assert.equal(env.DAPR_HTTP_PORT, 3500);
  assert.equal(env.DAPR_PUBSUB_NAME, daprComponents.pubsub);
  assert.equal(env.DAPR_SECRET_STORE, daprComponents.secretStore);
  assert.equal(daprHttpUrl(env), "http://127.0.0.1:3500");
  const schema = baseEnvSchema.extend({ BATCH: z.coerce.number().int().min(1) });
  assert.throws(
    () => loadEnv(schema, { PORT: "70000", LOG_LEVEL: "loud", JWT_JWKS_URL: "ftp://x", BATCH: "0" }),
    (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.deepEqual(
        err.problems.map((p) => p.split(":")[0]),
        ["PORT", "LOG_LEVEL", "JWT_JWKS_URL", "BATCH"],
      );
      assert.match(err.message, /^Invalid configuration:\n {2}- PORT: /);
      return true;
    },
  );
});

test("readSecret reads from the Dapr secret store API and fails clearly", async () => {
  sidecar.secrets["smtp-password"] = "s3cret";
  assert.equal(await readSecret({ daprHttpUrl: sidecar.url, store: "secretstore" }, "smtp-password"), "s3cret");
  assert.equal(sidecar.requests.at(-1)?.path, "/v1.0/secrets/secretstore/smtp-password");
  await assert.rejects(
    readSecret({ daprHttpUrl: sidecar.url, store: "secretstore" }, "missing"),
    (e: unknown) => e instanceof SidecarError && e.message === 'Secret "missing" could not be read from store "secretstore": HTTP 500',
  );
});

test("shutdown drains an in-flight request, then runs the steps in order", async () => {
  const order: string[] = [];
  const app = express();
  app.get("/slow", (_req, res) => void setTimeout(() => res.send("done"), 300));
  const server = await listen(app, 0, "127.0.0.1");
  const { port } = server.address() as AddressInfo;
  const inflight = new Promise<string>((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/slow`, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve(body));
      })
      .on("error", reject);
  });
  await new Promise((r) => setTimeout(r, 50));
  const shutdown = createShutdown({
    server,
    logger: createLogger({ service: "t", level: "silent" }),
    beforeClose: () => order.push("draining"),
    steps: [
      { name: "relay", run: () => void order.push("relay") },
      { name: "pool", run: async () => void order.push("pool") },
    ],
  });
  const done = shutdown();
  assert.equal(shutdown(), done, "idempotent");
  assert.equal(await inflight, "done");
  await done;
  assert.deepEqual(order, ["draining", "relay", "pool"]);
  assert.equal(server.listening, false);
});
