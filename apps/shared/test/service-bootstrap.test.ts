/**
 * The service bootstrap: loadServiceConfig (env, Dapr's tokens, the sidecar, secrets by what the catalog
 * says) and runService (migrations per MIGRATE_ON_START, listen, drain and stop in order on SIGTERM).
 */
import assert from "node:assert/strict";
import path from "node:path";
import { after, before, beforeEach, test } from "node:test";
import { fileURLToPath } from "node:url";
import { daprComponents, secretNames, services } from "@tasks/catalog";
import { z } from "zod";
import { ConfigError, baseEnvSchema } from "../src/config.js";
import { loadServiceConfig } from "../src/service-config.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/database.js";
import { startFakeSidecar, type FakeSidecar } from "../src/testing/fake-sidecar.js";
import { freeTcpPort, startServiceProcess } from "../src/testing/process.js";
import { testApiToken, testAppToken, writeTestAppTokenFile } from "../src/testing/tokens.js";

let sidecar: FakeSidecar;
let tokens: Record<string, string>;
before(async () => {
  sidecar = await startFakeSidecar();
  sidecar.apiToken = testApiToken;
  tokens = { DAPR_APP_TOKEN_FILE: writeTestAppTokenFile(), DAPR_API_TOKEN_FILE: writeTestAppTokenFile(testApiToken) };
});
after(() => sidecar.close());
beforeEach(() => {
  sidecar.requests.length = 0;
  sidecar.secrets = { [secretNames.databaseUrl("audit")]: "postgres://audit@db/audit" };
});
/** The identity provider's settings every service with public routes needs (none of them secret). */
const identity = { JWT_JWKS_URL: "https://id.example/jwks", JWT_ISSUER: "https://id.example", JWT_AUDIENCE: "tasks" };
const env = (extra: Record<string, string> = {}) => ({ DAPR_HTTP_PORT: new URL(sidecar.url).port, ...tokens, ...identity, ...extra });
const secretPaths = () =>
  sidecar.requests
    .filter((r) => r.path.startsWith("/v1.0/secrets/"))
    .map((r) => r.path.split("/").at(-1))
    .sort();

test("a service with public routes and a database: auth from the identity provider's settings, database URL and tokens, its catalog port", async () => {
  const config = await loadServiceConfig({ service: "audit", envSchema: baseEnvSchema, database: { poolMax: 7 } }, env());
  assert.equal(config.port, services.audit.port);
  assert.deepEqual(config.sidecar, { daprHttpUrl: sidecar.url, apiToken: testApiToken });
  assert.equal(config.daprAppToken, testAppToken);
  assert.deepEqual(config.auth, {
    jwksUrl: "https://id.example/jwks",
    issuer: "https://id.example",
    audience: "tasks",
    algorithms: ["RS256"],
    userIdClaim: "sub",
    emailClaim: "email",
    clockSkewSeconds: 30,
    maxLifetimeSeconds: 86_400,
    allowedOrigins: [],
    requestsPerMinute: 600,
  });
  assert.deepEqual(config.database, { url: "postgres://audit@db/audit", poolMax: 7, migrateOnStart: true });
  assert.deepEqual(secretPaths(), [secretNames.databaseUrl("audit")], "no signing key is read: there is none");
  assert.ok(sidecar.requests.every((r) => r.path.startsWith("/v1.0/healthz") || r.headers["dapr-api-token"] === testApiToken));
});

test("MIGRATE_ON_START=false, DB_POOL_MAX, and every identity setting from the environment", async () => {
  const config = await loadServiceConfig(
    { service: "audit", envSchema: baseEnvSchema, database: { poolMax: 7 } },
    env({
      MIGRATE_ON_START: "false",
      DB_POOL_MAX: "3",
      JWT_ALGORITHMS: "RS256, ES256",
      JWT_USER_ID_CLAIM: "oid",
      JWT_EMAIL_CLAIM: "preferred_username",
      JWT_CLOCK_SKEW_SECONDS: "60",
      CORS_ALLOWED_ORIGINS: "https://tasks.example.com,http://localhost:5173",
      RATE_LIMIT_PER_MINUTE: "120",
    }),
  );
  assert.deepEqual(config.database, { url: "postgres://audit@db/audit", poolMax: 3, migrateOnStart: false });
  assert.deepEqual(
    [config.auth.algorithms, config.auth.userIdClaim, config.auth.emailClaim, config.auth.clockSkewSeconds],
    [["RS256", "ES256"], "oid", "preferred_username", 60],
  );
  assert.deepEqual(
    [config.auth.allowedOrigins, config.auth.requestsPerMinute],
    [["https://tasks.example.com", "http://localhost:5173"], 120],
  );
});

test("a service with public routes refuses to start without the provider's JWKS URL, issuer and audience, or with none/HS256", async () => {
  const bare = { DAPR_HTTP_PORT: new URL(sidecar.url).port, ...tokens };
  await assert.rejects(
    loadServiceConfig({ service: "tasks-api", envSchema: baseEnvSchema }, bare),
    (err: unknown) =>
      err instanceof ConfigError && err.problems.map((p) => p.split(":")[0]).join() === "JWT_JWKS_URL,JWT_ISSUER,JWT_AUDIENCE",
  );
  await assert.rejects(
    loadServiceConfig({ service: "tasks-api", envSchema: baseEnvSchema }, env({ JWT_ALGORITHMS: "RS256,HS256,none" })),
    (err: unknown) => err instanceof ConfigError && err.problems.every((p) => p.startsWith("JWT_ALGORITHMS")),
  );
});

test("a service without public routes or database reads no secret; its own secrets come through `secrets`", async () => {
  const plain = await loadServiceConfig({ service: "recurrence", envSchema: baseEnvSchema }, env({ PORT: "4100" }));
  assert.equal(plain.port, 4100);
  assert.equal(plain.auth, undefined);
  assert.equal(plain.database, undefined);
  assert.deepEqual(secretPaths(), []);
  sidecar.secrets["own-secret"] = "value";
  const schema = baseEnvSchema.extend({ OWN: z.string() });
  const own = await loadServiceConfig(
    { service: "recurrence", envSchema: schema, secrets: async (e, secret) => ({ own: `${e.OWN}:${await secret("own-secret")}` }) },
    env({ OWN: "x" }),
  );
  assert.deepEqual(own.secrets, { own: "x:value" });
  assert.equal(sidecar.requests.at(-1)?.path, `/v1.0/secrets/${daprComponents.secretStore}/own-secret`);
});

test("a bad environment fails with one line per key before the sidecar is called", async () => {
  await assert.rejects(
    loadServiceConfig(
      { service: "audit", envSchema: baseEnvSchema, database: { poolMax: 7 } },
      { PORT: "0", DB_POOL_MAX: "0", MIGRATE_ON_START: "yes" },
    ),
    (err: unknown) => err instanceof ConfigError && err.problems.map((p) => p.split(":")[0]).join() === "PORT,DB_POOL_MAX,MIGRATE_ON_START",
  );
  assert.equal(sidecar.requests.length, 0);
  await assert.rejects(
    loadServiceConfig({ service: "recurrence", envSchema: baseEnvSchema, database: { poolMax: 1 } }, env()),
    /recurrence: the catalog gives this service no database/,
  );
});

const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "fixtures/run-service-main.ts");
let db: TestDatabase;
before(async () => {
  db = await createTestDatabase("run_service");
});
after(() => db.drop());

async function boot(extra: Record<string, string>) {
  sidecar.secrets[secretNames.databaseUrl("audit")] = db.url;
  const port = await freeTcpPort();
  const svc = startServiceProcess(entry, { ...env(extra), PORT: String(port), HOST: "127.0.0.1" });
  await svc.waitForLog((l) => l.msg === "listening" || l.msg === "startup failed");
  return { svc, url: `http://127.0.0.1:${port}` };
}

test("runService leaves the migrations alone when MIGRATE_ON_START=false", async () => {
  const { svc, url } = await boot({ MIGRATE_ON_START: "false" });
  try {
    assert.deepEqual(await (await fetch(`${url}/probe`)).json(), { hasTable: false });
    assert.ok(svc.logs.some((l) => l.msg === "migrations left to the platform (MIGRATE_ON_START=false)"));
    assert.ok(!svc.logs.some((l) => l.msg === "migrations"));
  } finally {
    svc.child.kill("SIGKILL");
  }
});

test("runService migrates, serves, and on SIGTERM drains, runs the stop steps, then closes the pool", async () => {
  const { svc, url } = await boot({});
  try {
    assert.deepEqual(svc.logs.find((l) => l.msg === "migrations")?.applied, ["0001_probe"]);
    assert.deepEqual(await (await fetch(`${url}/probe`)).json(), { hasTable: true });
    svc.child.kill("SIGTERM");
    assert.equal(await svc.exited, 0);
    const order = svc.logs.map((l) => l.msg).filter((m) => ["before close", "stop step", "shutdown complete"].includes(String(m)));
    assert.deepEqual(order, ["before close", "stop step", "shutdown complete"]);
    assert.equal(svc.logs.find((l) => l.msg === "stop step")?.poolOpen, true, "the pool closes after the service's steps");
  } finally {
    svc.child.kill("SIGKILL");
  }
});

test("runService: a start-up failure is logged once as 'startup failed' and exits 1", async () => {
  delete sidecar.secrets[secretNames.databaseUrl("audit")];
  const svc = startServiceProcess(entry, env());
  assert.equal(await svc.exited, 1);
  const fatal = svc.logs.find((l) => l.msg === "startup failed");
  assert.match(String((fatal?.err as { message?: string } | undefined)?.message), /^Secret "audit-database-url" could not be read/);
});
