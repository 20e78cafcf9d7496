/**
 * knex over node-postgres, and a migration runner over explicit migration lists (each service
 * exports `migrations` from apps/<service>/migrations/index.ts), so migrations run the same under
 * tsx, in tests and in the container, without knex scanning directories.
 */
import knexFactory, { type Knex } from "knex";
import pg from "pg";
import type { Logger } from "./logging.js";

export type { Knex } from "knex";

export interface DatabaseOptions {
  readonly connectionString: string;
  /** @default 2 */
  readonly poolMin?: number;
  /** @default 10 */
  readonly poolMax?: number;
  /** Shown in pg_stat_activity. */
  readonly applicationName?: string;
  /** Per-statement timeout in ms. @default 10000 */
  readonly statementTimeoutMs?: number;
  /** Where knex's own warnings go. @default silent */
  readonly logger?: Logger;
}

export function createDatabase(opts: DatabaseOptions): Knex {
  return knexFactory({
    client: "pg",
    connection: {
      connectionString: opts.connectionString,
      application_name: opts.applicationName,
      statement_timeout: opts.statementTimeoutMs ?? 10_000,
      // Deterministic text rendering of timestamps (keyset cursors carry them as text).
      options: "-c DateStyle=ISO -c TimeZone=UTC",
    } as Knex.PgConnectionConfig,
    pool: { min: opts.poolMin ?? 2, max: opts.poolMax ?? 10 },
    acquireConnectionTimeout: 10_000,
    log: {
      warn: (m: unknown) => opts.logger?.warn({ knex: m }, "knex warning"),
      error: (m: unknown) => opts.logger?.error({ knex: m }, "knex error"),
      deprecate: (m: unknown) => opts.logger?.warn({ knex: m }, "knex deprecation"),
      debug: () => undefined,
    },
  });
}

export interface Migration {
  /** Unique and sortable, e.g. "0001_tasks". */
  readonly name: string;
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

class ListMigrationSource implements Knex.MigrationSource<Migration> {
  constructor(private readonly list: readonly Migration[]) {}
  async getMigrations(): Promise<Migration[]> {
    return [...this.list].sort((a, b) => a.name.localeCompare(b.name));
  }
  getMigrationName(m: Migration): string {
    return m.name;
  }
  async getMigration(m: Migration): Promise<Knex.Migration> {
    return { up: (k) => m.up(k), down: (k) => m.down(k) };
  }
}

export interface MigrateOptions {
  /** Table recording applied migrations. @default "knex_migrations" */
  readonly tableName?: string;
}

/** Applies pending migrations; returns the names applied. */
export async function migrateLatest(knex: Knex, migrations: readonly Migration[], opts: MigrateOptions = {}): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({
    migrationSource: new ListMigrationSource(migrations),
    tableName: opts.tableName ?? "knex_migrations",
  })) as [number, string[]];
  return applied;
}

/** Rolls back every migration (tests and local resets). */
export async function migrateRollbackAll(knex: Knex, migrations: readonly Migration[], opts: MigrateOptions = {}): Promise<void> {
  await knex.migrate.rollback(
    { migrationSource: new ListMigrationSource(migrations), tableName: opts.tableName ?? "knex_migrations" },
    true,
  );
}

/** `select 1` with a timeout: the readiness check. */
export async function pingDatabase(knex: Knex): Promise<void> {
  await knex.raw("select 1");
}

/** Creates database `name` on the server of `adminUrl` unless it exists. */
export async function ensureDatabaseExists(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("select 1 from pg_database where datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** `adminUrl` with its database path replaced by `name`. */
export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/**
 * Whether `v` is a timestamptz as Postgres renders it with DateStyle=ISO (e.g. keyset cursor values
 * carried as text): "2026-01-02 03:04:05.123456+00", "infinity", "-infinity". Lets services reject a
 * tampered cursor with a 400 instead of a failing cast.
 */
export function isPgTimestamptzText(v: string): boolean {
  if (v === "infinity" || v === "-infinity") return true;
  // Postgres refuses year 0 and offsets beyond ±15:59:59 ("time zone displacement out of range").
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d{1,6})?[+-](?:0\d|1[0-5])(?::[0-5]\d){0,2}$/.exec(v);
  if (!m || m[1] === "0000") return false;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const dt = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return (
    dt.getUTCFullYear() === y &&
    dt.getUTCMonth() === mo - 1 &&
    dt.getUTCDate() === d &&
    dt.getUTCHours() === h &&
    dt.getUTCMinutes() === mi &&
    dt.getUTCSeconds() === s
  );
}
