/**
 * Offline plan diff: `npm run plan:diff -- --stack <dev|prod|local> --base <git-ref> [options]`
 *
 * Evaluates the stack under Pulumi mocks at the base commit (in a temporary `git worktree`) and in
 * this working tree, each through `npm run plan -- --stack <s> --json`, and prints a markdown diff of
 * the resources added, removed and changed (by URN, with the changed properties, secrets masked),
 * short enough for a GitHub comment. Destructive changes come first (plan-diff-destructive.ts), then the
 * policy pack's verdict on the head; the rest is collapsed. Progress goes to stderr, the markdown to
 * stdout (or --output). Exit codes: 0 done, 1 failure, 3 destructive changes with --fail-on-destructive.
 *
 * Options:
 *   --head <git-ref>      evaluate this commit instead of the working tree
 *   --output <file>       write the markdown to this file instead of stdout
 *   --max-chars <n>       longest markdown to print (default 60000; GitHub's limit is 65536)
 *   --full-output <file>  also write the whole diff, without a length limit (the artifact next to a comment)
 *   --fail-on-destructive exit 3 when the diff deletes, renames or replaces a resource or removes its
 *                         protection (after writing the markdown)
 *   --accept-label <name> the pull-request label that accepts destructive changes, named in the markdown
 *   --install auto|link|ci  how the base worktree gets node_modules: link this tree's when the
 *                         lockfiles are identical (auto, the default), always link, or always `npm ci`
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { diffPlans, type PlanDiff } from "./plan-diff-compare.js";
import { destructiveChanges, type DestructiveChange } from "./plan-diff-destructive.js";
import { renderMarkdown } from "./plan-diff-markdown.js";
import { parsePlanJson, withRootReplaced, type PlanSnapshot } from "./plan-diff-model.js";
import {
  addWorktree,
  git,
  linkNodeModules,
  removeOnSignal,
  resolveCommit,
  run,
  sameLockfile,
  type InstallMode,
  type Worktree,
} from "./plan-diff-worktree.js";
import { stackNames } from "@tasks/stacks/offline/stack-config";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const log = (msg: string): void => void process.stderr.write(`plan-diff: ${msg}\n`);

export interface Args {
  readonly stack: string;
  readonly base: string;
  readonly head?: string;
  readonly output?: string;
  readonly maxChars: number;
  readonly install: InstallMode;
  readonly fullOutput?: string;
  readonly failOnDestructive: boolean;
  readonly acceptLabel?: string;
}

/** Exit code of --fail-on-destructive when the diff destroys something. */
export const destructiveExitCode = 3;

const flags = ["fail-on-destructive"];
const options = ["stack", "base", "head", "output", "max-chars", "install", "full-output", "accept-label"];

export function parseArgs(argv: readonly string[]): Args {
  const values = new Map<string, string>();
  const set = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? "";
    if (!a.startsWith("--")) throw new Error(`Unexpected argument "${a}"`);
    const [k, inline] = a.slice(2).split("=", 2) as [string, string | undefined];
    if (flags.includes(k) && inline === undefined) {
      set.add(k);
      continue;
    }
    if (!options.includes(k)) throw new Error(`Unknown option --${k}`);
    const v = inline ?? argv[++i];
    if (v === undefined || v.startsWith("--")) throw new Error(`--${k} needs a value`);
    values.set(k, v);
  }
  const stack = values.get("stack");
  if (!stack || !(stackNames as readonly string[]).includes(stack)) {
    throw new Error(`--stack must be one of ${stackNames.join(", ")}${stack ? ` (got "${stack}")` : ""}`);
  }
  const base = values.get("base");
  if (!base) throw new Error("--base <git-ref> is required, e.g. --base origin/main");
  const maxChars = Number(values.get("max-chars") ?? 60_000);
  if (!Number.isInteger(maxChars) || maxChars < 2_000 || maxChars > 65_536)
    throw new Error("--max-chars must be an integer from 2000 to 65536");
  const install = (values.get("install") ?? "auto") as InstallMode;
  if (!["auto", "link", "ci"].includes(install)) throw new Error(`--install must be auto, link or ci (got "${install}")`);
  const head = values.get("head");
  const output = values.get("output");
  const fullOutput = values.get("full-output");
  const acceptLabel = values.get("accept-label");
  return {
    stack,
    base,
    maxChars,
    install,
    failOnDestructive: set.has("fail-on-destructive"),
    ...(head ? { head } : {}),
    ...(output ? { output } : {}),
    ...(fullOutput ? { fullOutput } : {}),
    ...(acceptLabel ? { acceptLabel } : {}),
  };
}

async function prepare(tree: Worktree, install: InstallMode): Promise<void> {
  const short = tree.commit.slice(0, 7);
  if (install === "link" || (install === "auto" && sameLockfile(repo, tree.commit))) {
    const n = linkNodeModules(repo, tree.dir);
    log(`${short}: linked ${n} installed packages from this tree${install === "auto" ? " (package-lock.json unchanged)" : ""}`);
    return;
  }
  log(`${short}: npm ci (package-lock.json differs from this tree's)`);
  const r = await run("npm", ["ci", "--no-audit", "--no-fund"], tree.dir, true);
  if (r.code !== 0) throw new Error(`npm ci at ${short} failed with exit code ${r.code}`);
}

async function evaluate(dir: string, stack: string, label: string): Promise<PlanSnapshot> {
  const started = Date.now();
  const r = await run("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--json"], dir);
  if (r.code !== 0) {
    process.stderr.write(r.stderr);
    throw new Error(`npm run plan -- --stack ${stack} --json failed at ${label} (exit code ${r.code}); its stderr is above`);
  }
  const snapshot = withRootReplaced(parsePlanJson(r.stdout, label), dir);
  log(`${label}: ${snapshot.resources.size} resources in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return snapshot;
}

function workingTreeLabel(): string {
  const head = git(repo, "rev-parse", "--short=7", "HEAD");
  const dirty = git(repo, "status", "--porcelain", "--untracked-files=no") !== "";
  return `working tree (${head}${dirty ? " + uncommitted changes" : ""})`;
}

export interface DiffReport {
  readonly diff: PlanDiff;
  readonly destructive: DestructiveChange[];
  /** The markdown within --max-chars. */
  readonly markdown: string;
  /** The whole markdown, without a length limit. */
  full(): string;
  /** The exit code: destructiveExitCode when --fail-on-destructive and something is destroyed, else 0. */
  readonly code: number;
}

/** Compares two evaluated plans the way the CLI reports them. */
export function reportDiff(before: PlanSnapshot, after: PlanSnapshot, args: Args, baseLabel: string, headLabel: string): DiffReport {
  const diff = diffPlans(before, after);
  const destructive = destructiveChanges(before, after, diff);
  const render = (maxChars: number): string =>
    renderMarkdown(diff, {
      stack: args.stack,
      baseLabel,
      headLabel,
      maxChars,
      destructive,
      policy: { ...(before.policy ? { base: before.policy } : {}), ...(after.policy ? { head: after.policy } : {}) },
      ...(args.acceptLabel ? { acceptLabel: args.acceptLabel } : {}),
    });
  return {
    diff,
    destructive,
    markdown: render(args.maxChars),
    full: () => render(Number.MAX_SAFE_INTEGER),
    code: args.failOnDestructive && destructive.length > 0 ? destructiveExitCode : 0,
  };
}

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const baseCommit = resolveCommit(repo, args.base);
  const headCommit = args.head ? resolveCommit(repo, args.head) : undefined;
  const trees: Worktree[] = [];
  const stopListening = removeOnSignal(trees);
  try {
    trees.push(await addWorktree(repo, baseCommit));
    if (headCommit) trees.push(await addWorktree(repo, headCommit));
    for (const t of trees) await prepare(t, args.install);
    const [baseTree, headTree] = trees as [Worktree, Worktree | undefined];
    const baseLabel = `${args.base} (${baseCommit.slice(0, 7)})`;
    const headLabel = args.head && headCommit ? `${args.head} (${headCommit.slice(0, 7)})` : workingTreeLabel();
    log(`evaluating ${args.stack} at ${baseLabel} and ${headLabel}`);
    const [before, after] = await Promise.all([
      evaluate(baseTree.dir, args.stack, baseLabel),
      evaluate(headTree?.dir ?? repo, args.stack, headLabel),
    ]);
    const report = reportDiff(before, after, args, baseLabel, headLabel);
    log(
      `+${report.diff.added.length} ~${report.diff.changed.length} -${report.diff.removed.length}, ${report.destructive.length} destructive (${report.markdown.length} chars)`,
    );
    if (args.fullOutput) writeFileSync(args.fullOutput, report.full());
    if (args.output) writeFileSync(args.output, report.markdown);
    else process.stdout.write(report.markdown);
    for (const d of report.destructive) log(`DESTRUCTIVE: ${d.kind} ${d.type} ${d.name}${d.stateful ? " (stateful)" : ""}`);
    if (report.code === destructiveExitCode)
      log(`--fail-on-destructive: ${report.destructive.length} destructive change(s); exit ${report.code}`);
    return report.code;
  } finally {
    for (const t of trees) t.remove();
    stopListening();
  }
}

/** Runs the plan-diff CLI (scripts/plan-diff.ts, `npm run plan:diff`); exits 1 with one line on failure, 3 on destructive changes with --fail-on-destructive. */
export async function runPlanDiffCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const code = await main(argv).catch((e: unknown) => {
    process.stderr.write(`plan-diff: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  });
  process.stdout.write("", () => process.exit(code));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runPlanDiffCli();
