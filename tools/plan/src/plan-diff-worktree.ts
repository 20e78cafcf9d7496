import { execFileSync, spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

/** How a base worktree gets its dependencies. */
export type InstallMode = "auto" | "link" | "ci";

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** The commit a ref names, or an error that says which ref could not be resolved. */
export function resolveCommit(repo: string, ref: string): string {
  try {
    return git(repo, "rev-parse", "--verify", "--quiet", `${ref}^{commit}`);
  } catch {
    throw new Error(`--base "${ref}" does not name a commit in ${repo} (fetch it first, e.g. git fetch origin ${ref})`);
  }
}

/** A temporary, detached `git worktree` of one commit; `remove()` is idempotent. */
export interface Worktree {
  readonly dir: string;
  readonly commit: string;
  remove(): void;
}

export async function addWorktree(repo: string, commit: string): Promise<Worktree> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "plan-diff-"));
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    try {
      git(repo, "worktree", "remove", "--force", dir);
    } catch {
      // Not registered (add failed half-way) or already gone: the folder and the prune below cover it.
    }
    rmSync(dir, { recursive: true, force: true });
    try {
      git(repo, "worktree", "prune");
    } catch {
      // Pruning is housekeeping only.
    }
  };
  try {
    git(repo, "worktree", "add", "--detach", "--quiet", dir, commit);
  } catch (e) {
    remove();
    throw new Error(`git worktree add ${commit} failed: ${(e as Error).message}`, { cause: e });
  }
  return { dir, commit, remove };
}

/** Removes the worktrees when the process is interrupted; returns a function that stops listening. */
export function removeOnSignal(trees: readonly Worktree[]): () => void {
  const handler = (signal: NodeJS.Signals): void => {
    for (const t of trees) t.remove();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", handler);
  process.once("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}

/** True when the commit's package-lock.json is byte-identical to the one in `repo`'s working tree. */
export function sameLockfile(repo: string, commit: string): boolean {
  const here = path.join(repo, "package-lock.json");
  if (!existsSync(here)) return false;
  try {
    const there = execFileSync("git", ["show", `${commit}:package-lock.json`], { cwd: repo, maxBuffer: 64 << 20 });
    return there.equals(readFileSync(here));
  } catch {
    return false;
  }
}

const inside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
};

/**
 * Gives `dstRoot` the dependencies installed in `srcRoot` without copying them: every package in each
 * node_modules is a symlink to the installed one, except the workspace links (`@tasks/*` → ../../catalog),
 * which are re-created relative to `dstRoot` so that the worktree's own sources are the ones loaded.
 * Returns the number of links made.
 */
export function linkNodeModules(srcRoot: string, dstRoot: string): number {
  let links = 0;
  const linkEntry = (src: string, dst: string): void => {
    const st = lstatSync(src);
    if (st.isSymbolicLink()) {
      const target = path.resolve(path.dirname(src), readlinkSync(src));
      const isWorkspaceLink = inside(target, srcRoot) && !target.split(path.sep).includes("node_modules");
      const to = isWorkspaceLink ? path.relative(path.dirname(dst), path.join(dstRoot, path.relative(srcRoot, target))) : target;
      symlinkSync(to, dst);
    } else {
      symlinkSync(src, dst);
    }
    links++;
  };
  const mirror = (srcNm: string, dstNm: string): void => {
    mkdirSync(dstNm, { recursive: true });
    for (const entry of readdirSync(srcNm, { withFileTypes: true })) {
      const src = path.join(srcNm, entry.name);
      const dst = path.join(dstNm, entry.name);
      if (existsSync(dst)) continue;
      if (entry.name.startsWith("@") && entry.isDirectory()) {
        mkdirSync(dst, { recursive: true });
        for (const scoped of readdirSync(src)) linkEntry(path.join(src, scoped), path.join(dst, scoped));
      } else {
        linkEntry(src, dst);
      }
    }
  };
  for (const ws of ["", ...workspaceDirs(srcRoot)]) {
    const srcNm = path.join(srcRoot, ws, "node_modules");
    if (existsSync(srcNm) && existsSync(path.join(dstRoot, ws))) mirror(srcNm, path.join(dstRoot, ws, "node_modules"));
  }
  return links;
}

/** Workspace folders of a repo (package.json "workspaces", `dir/*` patterns expanded one level). */
export function workspaceDirs(root: string): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { workspaces?: string[] };
  return (pkg.workspaces ?? []).flatMap((w) => {
    if (!w.endsWith("/*")) return [w];
    const parent = w.slice(0, -2);
    const abs = path.join(root, parent);
    if (!existsSync(abs)) return [];
    return readdirSync(abs, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => path.join(parent, d.name));
  });
}

export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

/** Runs a command, collecting its output; stderr also streams to ours when `echo` is set. */
export function run(cmd: string, args: readonly string[], cwd: string, echo = false): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FORCE_COLOR: "0" } });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => {
      err.push(b);
      if (echo) process.stderr.write(b);
    });
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({ stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), code: code ?? 1 }),
    );
  });
}
