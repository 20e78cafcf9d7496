/**
 * `npm run preview -- --stack dev|prod|local [--diff] [--base <git-ref>]`: the real Pulumi engine, offline.
 * See preview-args.ts for every option. stdout is exactly what `pulumi preview` prints; this command's
 * own progress goes to stderr. Exit code: the CLI's (0 previewed, non-zero on a program error or a
 * mandatory policy violation), 2 on a usage error.
 */
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Worktree } from "@tasks/plan/plan-diff-worktree";
import { baseTree, rerootState } from "./base-tree.js";
import { parsePreviewArgs, previewUsage, PreviewUsageError, type PreviewArgs } from "./preview-args.js";
import { preview, startSession, up, type EngineSession } from "./session.js";
import { removeWorkspace, type StackWorkspace } from "./workspace.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const log = (m: string): void => void process.stderr.write(`preview: ${m}\n`);

function noticeUnsetSecrets(ws: StackWorkspace): void {
  for (const key of ws.unsetSecrets) {
    log(
      `${key} is not set in Pulumi.${ws.stack}.yaml, so this preview uses a placeholder; a real pulumi up stops until: pulumi config set --secret ${key} <value> --stack ${ws.stack}`,
    );
  }
}

async function run(args: PreviewArgs, session: EngineSession, cleanup: (() => void)[]): Promise<number> {
  const eventLog = (ws: StackWorkspace): string => path.join(ws.dir, "events.jsonl");
  let ws: StackWorkspace;
  let tree: Worktree | undefined;
  if (args.base) {
    tree = await baseTree(repo, args.base, args.install, log);
    cleanup.push(() => tree?.remove());
    const baseWs = await session.workspace(tree.dir, args.stack);
    cleanup.push(() => removeWorkspace(baseWs));
    log(`pulumi up of ${args.base} (${tree.commit.slice(0, 7)}) into a fresh backend…`);
    // The base's state is what matters here, not its policy verdicts: no policy pack on this up.
    const r = await up(baseWs, { policies: false });
    if (r.code !== 0) {
      process.stderr.write(`${r.stdout}\n${r.stderr}`);
      log(`pulumi up of ${args.base} failed (exit ${r.code}); its output is above`);
      return 1;
    }
    await rerootState(baseWs, tree.dir, repo);
    log(
      `${args.base}: ${r.stdout.match(/^\s*\+ \d+ created$/m)?.[0]?.trim() ?? "created"} in ${r.seconds.toFixed(1)} s; previewing the working tree against it`,
    );
    ws = await session.workspace(repo, args.stack, baseWs);
  } else {
    ws = await session.workspace(repo, args.stack);
  }
  cleanup.push(() => removeWorkspace(ws));
  noticeUnsetSecrets(ws);
  const r = await preview(ws, { diff: args.diff, inherit: true, eventLog: eventLog(ws) });
  log(`pulumi preview of ${args.stack} exited ${r.code} after ${r.seconds.toFixed(1)} s (mock providers, real engine and policy pack)`);
  if (args.eventLog && existsSync(eventLog(ws))) copyFileSync(eventLog(ws), args.eventLog);
  if (args.keep) {
    log(`kept ${ws.dir} (PULUMI_BACKEND_URL=${ws.env.PULUMI_BACKEND_URL}) and the provider log ${session.providerLog}`);
    // The workspaces stay; the base worktree is not needed to read them.
    cleanup.length = 0;
    tree?.remove();
  }
  return r.code;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: PreviewArgs | "help";
  try {
    args = parsePreviewArgs(argv);
  } catch (e) {
    if (!(e instanceof PreviewUsageError)) throw e;
    process.stderr.write(`preview: ${e.message}\n${previewUsage.split("\n")[0]}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(`${previewUsage}\n`);
    return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
  }
  const cleanup: (() => void)[] = [];
  const cleanUp = (): void => {
    for (const fn of cleanup.reverse()) fn();
    cleanup.length = 0;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanUp();
    process.exit(signal === "SIGINT" ? 130 : 143);
  };
  process.once("SIGINT", onSignal);
  process.once("SIGTERM", onSignal);
  const session = await startSession(repo);
  try {
    return await run(args, session, cleanup);
  } finally {
    await session.close(args.keep);
    cleanUp();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    log(e instanceof Error ? e.message : String(e));
    process.exit(1);
  },
);
