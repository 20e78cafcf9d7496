/**
 * The real entry point: boots with config from env and secrets from the (stand-in) Dapr secret store,
 * migrates, serves, and drains on SIGTERM. A bad config stops the boot with one line
 * per bad key.
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { daprComponents, secretNames } from "@tasks/catalog";
import {
  freeTcpPort,
  startEntryPointFixture,
  startServiceProcess,
  type EntryPointFixture,
  type FakeSidecar,
  type TestJwks,
} from "@tasks/shared/testing";

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/main.ts");
let fixture: EntryPointFixture;
let sidecar: FakeSidecar;
let jwks: TestJwks;
before(async () => {
  fixture = await startEntryPointFixture("audit", "audit_main");
  ({ sidecar, jwks } = fixture);
});
after(() => fixture.close());

test("boots from the secret store, serves, drains on SIGTERM", async () => {
  const port = await freeTcpPort();
  const svc = startServiceProcess(entry, fixture.bootEnv(port));
  try {
    await svc.waitForLog((l) => l.msg === "listening");
    assert.deepEqual(svc.logs.find((l) => l.msg === "migrations")?.applied, [
      "0001_audit_entries",
      "0002_audit_actions",
      "0003_calendar_feed_entries",
    ]);
    assert.ok(
      svc.logs.every((l) => l.service === "audit"),
      "every line is JSON from tasks-api",
    );
    assert.deepEqual(
      sidecar.requests
        .filter((r) => r.path.startsWith("/v1.0/secrets/"))
        .map((r) => r.path)
        .sort(),
      [`/v1.0/secrets/${daprComponents.secretStore}/${secretNames.databaseUrl("audit")}`].sort(),
    );
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    assert.deepEqual(await ready.json(), { status: "ok", checks: { database: "ok", sidecar: "ok" } });
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/audit`, {
      headers: { authorization: `Bearer ${await jwks.sign("zoe")}` },
    });
    assert.deepEqual([res.status, await res.json()], [200, { items: [], nextCursor: null }]);
    svc.child.kill("SIGTERM");
    assert.equal(await svc.exited, 0);
    assert.ok(svc.logs.some((l) => l.msg === "shutdown complete"));
  } finally {
    svc.child.kill("SIGKILL");
  }
});

test("invalid configuration stops the boot with a message per bad key", async () => {
  const svc = startServiceProcess(entry, { PORT: "99999", DAPR_HTTP_PORT: fixture.daprPort, DB_POOL_MAX: "0", LOG_LEVEL: "chatty" });
  assert.equal(await svc.exited, 1);
  const fatal = svc.logs.find((l) => l.msg === "startup failed");
  const message = String((fatal?.err as { message?: string } | undefined)?.message);
  assert.match(message, /^Invalid configuration:\n/);
  for (const key of ["PORT", "LOG_LEVEL", "DB_POOL_MAX"]) assert.match(message, new RegExp(`\\n  - ${key}: `));
});
