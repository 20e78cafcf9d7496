import { isStackName, stackNames, type StackName } from "@tasks/stacks/offline/stack-config";

export const previewUsage = [
  "usage: npm run preview -- --stack dev|prod|local [--diff] [--base <git-ref>] [--install auto|link|ci] [--event-log <file>] [--keep]",
  "",
  "Runs `pulumi preview` of the stack with the real Pulumi engine and the real policy pack, offline: the",
  "providers are mock servers (the stacks' mock tables), the backend a throwaway directory, secrets encrypted",
  "by a throwaway passphrase. Prints what `pulumi preview` prints; exits with its exit code.",
  "  --diff            property-level diff of every change (pulumi preview --diff)",
  "  --base <ref>      `pulumi up` of that commit (a git worktree) into the fresh backend first, then",
  "                    `pulumi preview --diff` of this working tree: the pull request's diff as the engine computes it",
  "  --install <mode>  how the base worktree gets node_modules: link this tree's when package-lock.json is",
  "                    unchanged (auto, the default), always link, or always npm ci",
  "  --event-log <f>   also write the engine's events (JSON lines) to <f>",
  "  --keep            keep the temporary backend and project directories (their paths go to stderr)",
].join("\n");

export type InstallMode = "auto" | "link" | "ci";

export interface PreviewArgs {
  readonly stack: StackName;
  readonly diff: boolean;
  readonly base?: string;
  readonly install: InstallMode;
  readonly eventLog?: string;
  readonly keep: boolean;
}

export class PreviewUsageError extends Error {}

export function parsePreviewArgs(argv: readonly string[]): PreviewArgs | "help" {
  let stack: string | undefined;
  let base: string | undefined;
  let eventLog: string | undefined;
  let install: string = "auto";
  let diff = false;
  let keep = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") ? (a.split("=", 2) as [string, string | undefined]) : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new PreviewUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") return "help";
    else if (flag === "--stack") stack = value();
    else if (flag === "--diff") diff = true;
    else if (flag === "--base") base = value();
    else if (flag === "--install") install = value();
    else if (flag === "--event-log") eventLog = value();
    else if (flag === "--keep") keep = true;
    else throw new PreviewUsageError(`unknown argument "${a}"`);
  }
  if (stack === undefined) return "help";
  if (!isStackName(stack)) throw new PreviewUsageError(`unknown stack "${stack}"; expected one of: ${stackNames.join(", ")}`);
  if (!["auto", "link", "ci"].includes(install)) throw new PreviewUsageError(`--install must be auto, link or ci (got "${install}")`);
  return {
    stack,
    diff: diff || base !== undefined,
    install: install as InstallMode,
    keep,
    ...(base ? { base } : {}),
    ...(eventLog ? { eventLog } : {}),
  };
}
