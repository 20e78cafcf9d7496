/**
 * A private database per test file on the test tier's PostgreSQL (DATABASE_URL, set by
 * @tasks/dev-platform test-servers.ts), so test files run in parallel without interfering.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, databaseUrl, migrateLatest, type DatabaseOptions, type Knex, type Migration } from "../db.js";

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  /** Drops the database (terminating leftover connections). */
  drop(): Promise<void>;
}

export function adminDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: run tests with `npm test -- --tier services` (it starts PostgreSQL)");
  return url;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(prefix = "t"): Promise<TestDatabase> {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(5).toString("hex")}`;
  await admin((c) => c.query(`create database ${c.escapeIdentifier(name)}`));
  return {
    name,
    url: databaseUrl(adminDatabaseUrl(), name),
    drop: () => admin((c) => c.query(`drop database if exists ${c.escapeIdentifier(name)} with (force)`)).then(() => undefined),
  };
}

export interface MigratedTestDatabase extends TestDatabase {
  /** A pool on the database, `migrations` applied. */
  readonly knex: Knex;
  /** Destroys the pool, then drops the database. */
  close(): Promise<void>;
}

/** A private test database (createTestDatabase) with the service's `migrations` applied, and a pool on it. */
export async function createMigratedTestDatabase(
  prefix: string,
  migrations: readonly Migration[],
  pool: Pick<DatabaseOptions, "poolMin" | "poolMax"> = {},
): Promise<MigratedTestDatabase> {
  const db = await createTestDatabase(prefix);
  const knex = createDatabase({ connectionString: db.url, ...pool });
  await migrateLatest(knex, migrations);
  return {
    ...db,
    knex,
    async close() {
      await knex.destroy();
      await db.drop();
    },
  };
}
