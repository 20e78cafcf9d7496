/**
 * The notifications app driven in-process on a private, migrated database, with nothing behind it: no sidecar
 * (port 9), and email or push fail the test. The set-up of the API, OpenAPI and fuzz tests.
 */
import assert from "node:assert/strict";
import type { Knex } from "@tasks/shared";
import { createMigratedTestDatabase, testAppDeps } from "@tasks/shared/testing";
import type { Express } from "express";
import webpush from "web-push";
import { createNotificationsApp, migrations, type NotificationsAppDeps } from "../../src/index.js";

export interface NotificationsTestApp {
  readonly app: Express;
  readonly db: Knex;
  /** Closes the pool and drops the database. */
  close(): Promise<void>;
}

/** `dbPrefix` names the database; `deps` replace the defaults above. */
export async function startNotificationsTestApp(
  dbPrefix: string,
  deps: Partial<Omit<NotificationsAppDeps, "db">> = {},
): Promise<NotificationsTestApp> {
  const tdb = await createMigratedTestDatabase(dbPrefix, migrations, { poolMax: 4 });
  const { app } = createNotificationsApp({
    db: tdb.knex,
    ...testAppDeps("notifications"),
    sidecar: { daprHttpUrl: "http://127.0.0.1:9" },
    email: { send: async () => assert.fail(`no email in ${dbPrefix}`), close: () => undefined },
    push: { publicKey: webpush.generateVAPIDKeys().publicKey, send: async () => assert.fail(`no push in ${dbPrefix}`) },
    ...deps,
  });
  return { app, db: tdb.knex, close: tdb.close };
}
