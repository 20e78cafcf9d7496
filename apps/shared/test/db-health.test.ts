import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createServiceApp } from "../src/app.js";
import { sidecarReady } from "../src/dapr.js";
import { createDatabase, migrateLatest, migrateRollbackAll, pingDatabase, type Knex, type Migration } from "../src/db.js";
import { createLogger } from "../src/logging.js";
import { createRegistry } from "../src/metrics.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/database.js";
import { startFakeSidecar, type FakeSidecar } from "../src/testing/fake-sidecar.js";
import { request } from "../src/testing/inject.js";

let db: TestDatabase;
let knex: Knex;
let sidecar: FakeSidecar;
before(async () => {
  db = await createTestDatabase("shared");
  knex = createDatabase({ connectionString: db.url, poolMin: 0, poolMax: 2 });
  sidecar = await startFakeSidecar();
});
after(async () => {
  await knex.destroy();
  await db.drop();
  await sidecar.close();
});

const migrations: Migration[] = [
  {
    name: "0002_b",
    up: (k) => k.schema.alterTable("things", (t) => t.text("extra")),
    down: (k) => k.schema.alterTable("things", (t) => t.dropColumn("extra")),
  },
  { name: "0001_a", up: (k) => k.schema.createTable("things", (t) => t.increments("id")), down: (k) => k.schema.dropTable("things") },
];

test("migrateLatest applies a migration list in name order, once", async () => {
  assert.deepEqual(await migrateLatest(knex, migrations), ["0001_a", "0002_b"]);
  assert.deepEqual(await migrateLatest(knex, migrations), []);
  assert.equal(await knex.schema.hasColumn("things", "extra"), true);
  await migrateRollbackAll(knex, migrations);
  assert.equal(await knex.schema.hasTable("things"), false);
});

test("/readyz is 200 when the database and sidecar answer, 503 naming the failing check otherwise", async () => {
  const broken = createDatabase({ connectionString: db.url.replace(/\/[^/]+$/, "/no_such_db"), poolMin: 0, poolMax: 1 });
  let useBroken = false;
  const { app, health } = createServiceApp({
    logger: createLogger({ service: "t", level: "silent" }),
    registry: createRegistry("t"),
    daprAppToken: "x".repeat(32),
    readiness: { database: () => pingDatabase(useBroken ? broken : knex), sidecar: () => sidecarReady({ daprHttpUrl: sidecar.url }) },
    routes: () => undefined,
  });
  try {
    assert.deepEqual((await request(app, { url: "/readyz" })).body, { status: "ok", checks: { database: "ok", sidecar: "ok" } });
    sidecar.healthStatus = 500;
    const down = await request(app, { url: "/readyz" });
    assert.equal(down.status, 503);
    assert.deepEqual(down.body, { status: "unavailable", checks: { database: "ok", sidecar: "Dapr sidecar not ready: HTTP 500" } });
    sidecar.healthStatus = 204;
    useBroken = true;
    const dbDown = await request(app, { url: "/readyz" });
    assert.equal(dbDown.status, 503);
    assert.match(dbDown.json<{ checks: { database: string } }>().checks.database, /no_such_db/);
    useBroken = false;
    health.setDraining();
    const draining = await request(app, { url: "/readyz" });
    assert.deepEqual([draining.status, draining.json<{ checks: { shutdown: string } }>().checks.shutdown], [503, "draining"]);
    assert.equal((await request(app, { url: "/healthz" })).status, 200);
  } finally {
    await broken.destroy();
  }
});
