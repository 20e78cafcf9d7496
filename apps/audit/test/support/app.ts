/** The audit app driven in-process on a private, migrated database: the set-up of the API, OpenAPI and fuzz tests. */
import type { Knex } from "@tasks/shared";
import { createMigratedTestDatabase, testAppDeps } from "@tasks/shared/testing";
import type { Express } from "express";
import { migrations } from "../../migrations/index.js";
import { createAuditApp, type AuditAppDeps } from "../../src/app.js";

export interface AuditTestApp {
  readonly app: Express;
  readonly knex: Knex;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

/** `dbPrefix` names the database; `deps` replace the test defaults (testAppDeps). */
export async function startAuditTestApp(dbPrefix: string, deps: Partial<Omit<AuditAppDeps, "db">> = {}): Promise<AuditTestApp> {
  const db = await createMigratedTestDatabase(dbPrefix, migrations, { poolMin: 0, poolMax: 5 });
  const { app } = createAuditApp({ db: db.knex, ...testAppDeps("audit"), ...deps });
  return { app, knex: db.knex, close: db.close };
}
