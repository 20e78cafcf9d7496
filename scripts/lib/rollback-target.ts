/**
 * Picks the commit that scripts/rollback.sh redeploys, from `pulumi stack history --json` on stdin.
 * Pulumi records the git commit of every update in its environment as `git.head`.
 *   - The newest update failed (or was cancelled): the stack is half-way; go back to the commit of
 *     the newest update that succeeded.
 *   - The newest update succeeded (e.g. it deployed but the smoke test failed): go back to the newest
 *     earlier successful update made from a different commit.
 * Prints `<commit> <version> <reason>`; exits 1 with a message when there is nothing to go back to.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";

export interface HistoryEntry {
  readonly version: number;
  readonly kind: string;
  readonly result: string;
  readonly environment?: Readonly<Record<string, string>>;
}

export interface RollbackTarget {
  readonly commit: string;
  readonly version: number;
  readonly reason: string;
}

const headOf = (e: HistoryEntry): string | undefined => e.environment?.["git.head"];

export function pickRollbackTarget(history: readonly HistoryEntry[]): RollbackTarget {
  const updates = history.filter((e) => e.kind === "update").sort((a, b) => b.version - a.version);
  const newest = updates[0];
  if (!newest) throw new Error("the stack has no updates to roll back to");
  const succeeded = updates.filter((e) => e.result === "succeeded" && headOf(e));
  if (newest.result !== "succeeded") {
    const last = succeeded[0];
    if (!last) throw new Error(`update ${newest.version} ${newest.result} and no earlier update succeeded from a known commit`);
    return {
      commit: headOf(last) as string,
      version: last.version,
      reason: `update ${newest.version} ${newest.result}; redeploying the last successful update ${last.version}`,
    };
  }
  const current = headOf(newest);
  const previous = succeeded.find((e) => e.version < newest.version && headOf(e) !== current);
  if (!previous)
    throw new Error(`no successful update before ${newest.version} was made from a commit other than ${current ?? "(unknown)"}`);
  return {
    commit: headOf(previous) as string,
    version: previous.version,
    reason: `update ${newest.version} is the current deployment; redeploying update ${previous.version}`,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const chunks: Buffer[] = [];
  process.stdin
    .on("data", (c: Buffer) => chunks.push(c))
    .on("end", () => {
      try {
        const t = pickRollbackTarget(JSON.parse(Buffer.concat(chunks).toString("utf8")) as HistoryEntry[]);
        process.stdout.write(`${t.commit} ${t.version} ${t.reason}\n`);
      } catch (e) {
        process.stderr.write(`rollback: ${e instanceof Error ? e.message : String(e)}\n`);
        process.exit(1);
      }
    });
}
