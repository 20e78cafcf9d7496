/**
 * What a service's entry point (src/main.ts, run as a child process) needs to boot in a test: a private
 * database whose URL the stand-in sidecar's secret store holds, the sidecar requiring the test API token,
 * and a JWKS issuer for the bearer tokens.
 */
import { secretNames } from "@tasks/catalog";
import { createTestDatabase, type TestDatabase } from "./database.js";
import { startFakeSidecar, type FakeSidecar } from "./fake-sidecar.js";
import { startTestJwks, type TestJwks } from "./jwks.js";
import { testApiToken, writeTestAppTokenFile } from "./tokens.js";

export interface EntryPointFixture {
  readonly db: TestDatabase;
  readonly sidecar: FakeSidecar;
  readonly jwks: TestJwks;
  /** The sidecar's port, for DAPR_HTTP_PORT. */
  readonly daprPort: string;
  /** The environment of a boot on `port`: the JWKS settings, PORT, HOST, DAPR_HTTP_PORT and both Dapr token files. */
  bootEnv(port: number): Record<string, string>;
  /** Closes the sidecar and the JWKS server, then drops the database. */
  close(): Promise<void>;
}

/** `service`'s database URL is served as its catalog secret (secretNames.databaseUrl); `dbPrefix` names the database. */
export async function startEntryPointFixture(service: string, dbPrefix: string): Promise<EntryPointFixture> {
  const db = await createTestDatabase(dbPrefix);
  const sidecar = await startFakeSidecar();
  sidecar.apiToken = testApiToken;
  sidecar.secrets[secretNames.databaseUrl(service)] = db.url;
  const jwks = await startTestJwks();
  const daprPort = new URL(sidecar.url).port;
  return {
    db,
    sidecar,
    jwks,
    daprPort,
    bootEnv: (port) => ({
      ...jwks.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DAPR_HTTP_PORT: daprPort,
      DAPR_APP_TOKEN_FILE: writeTestAppTokenFile(),
      DAPR_API_TOKEN_FILE: writeTestAppTokenFile(testApiToken),
    }),
    async close() {
      await sidecar.close();
      await jwks.close();
      await db.drop();
    },
  };
}
