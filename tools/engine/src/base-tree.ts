/**
 * A base commit as a runnable tree: a temporary `git worktree` with node_modules linked from this tree
 * (when package-lock.json is the same) or installed with `npm ci` — the plan diff's worktree helpers.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { addWorktree, linkNodeModules, resolveCommit, run, sameLockfile, type Worktree } from "@tasks/plan/plan-diff-worktree";
import type { InstallMode } from "./preview-args.js";
import { runPulumi } from "./pulumi-cli.js";
import type { StackWorkspace } from "./workspace.js";

export async function baseTree(repo: string, ref: string, install: InstallMode, log: (m: string) => void): Promise<Worktree> {
  const commit = resolveCommit(repo, ref);
  const tree = await addWorktree(repo, commit);
  try {
    const short = commit.slice(0, 7);
    if (install === "link" || (install === "auto" && sameLockfile(repo, commit))) {
      const n = linkNodeModules(repo, tree.dir);
      log(`${ref} (${short}): linked ${n} installed packages from this tree`);
    } else {
      log(`${ref} (${short}): npm ci (package-lock.json differs from this tree's)`);
      const r = await run("npm", ["ci", "--no-audit", "--no-fund"], tree.dir, true);
      if (r.code !== 0) throw new Error(`npm ci at ${short} failed with exit code ${r.code}`);
    }
    return tree;
  } catch (e) {
    tree.remove();
    throw e;
  }
}

/**
 * Rewrites the base tree's path to this tree's in the stack's state, as the plan diff does with its
 * plans: the program records absolute paths (image build contexts), and a real pull request preview
 * runs both commits from the same checkout, so the worktree's own path is not a change.
 */
export async function rerootState(ws: StackWorkspace, from: string, to: string): Promise<void> {
  const exported = await runPulumi(ws, ["stack", "export", "--stack", ws.stack], { quiet: true });
  const escape = (p: string): string => JSON.stringify(p).slice(1, -1);
  const file = path.join(ws.dir, "base-state.json");
  writeFileSync(file, exported.stdout.split(escape(from)).join(escape(to)));
  await runPulumi(ws, ["stack", "import", "--stack", ws.stack, "--file", file], { quiet: true });
}
