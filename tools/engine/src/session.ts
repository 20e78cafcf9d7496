/**
 * One offline engine session: the pinned Pulumi binaries, the mock provider servers, and the commands
 * (preview, up) run against throwaway workspaces with the real policy pack.
 */
import { appendFileSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pulumiBinaries, type PulumiBinaries } from "./binaries.js";
import { startProviderServers, type ProviderServers } from "./provider-servers.js";
import { runPulumi, type PulumiRun } from "./pulumi-cli.js";
import { createWorkspace, type StackWorkspace } from "./workspace.js";

export interface EngineSession {
  readonly binaries: PulumiBinaries;
  readonly servers: ProviderServers;
  /** The mock providers' request log (one line per request, no values). */
  readonly providerLog: string;
  workspace(root: string, stack: string, from?: StackWorkspace): Promise<StackWorkspace>;
  /** Stops the servers and deletes the provider log, unless `keepLog`. */
  close(keepLog?: boolean): Promise<void>;
}

export async function startSession(repoRoot: string): Promise<EngineSession> {
  const binaries = await pulumiBinaries(repoRoot);
  const logDir = mkdtempSync(path.join(os.tmpdir(), "tasks-engine-providers-"));
  const providerLog = path.join(logDir, "providers.log");
  let servers: ProviderServers;
  try {
    servers = await startProviderServers(repoRoot, (line) => appendFileSync(providerLog, `${line}\n`));
  } catch (e) {
    rmSync(logDir, { recursive: true, force: true });
    throw e;
  }
  return {
    binaries,
    servers,
    providerLog,
    workspace: (root, stack, from) =>
      createWorkspace(root, stack, { binDir: binaries.binDir, debugProviders: servers.debugProviders, ...(from ? { from } : {}) }),
    close: async (keepLog = false) => {
      await servers.close();
      if (!keepLog) rmSync(logDir, { recursive: true, force: true });
    },
  };
}

export interface CommandOptions {
  /** `--diff`: property-level diff of every change. */
  readonly diff?: boolean;
  /** Write the engine's events (JSON lines) here. */
  readonly eventLog?: string;
  /** `--expect-no-changes`: fail when the preview proposes any change. */
  readonly expectNoChanges?: boolean;
  /** Run the policy pack. @default true */
  readonly policies?: boolean;
  /** Print the CLI's output as it runs (else collected in the result). */
  readonly inherit?: boolean;
}

function commonArgs(ws: StackWorkspace, o: CommandOptions): string[] {
  const policy =
    o.policies === false
      ? []
      : ["--policy-pack", ws.policyPack, ...(ws.policyPackConfig ? ["--policy-pack-config", ws.policyPackConfig] : [])];
  return [
    "--stack",
    ws.stack,
    ...policy,
    ...(o.eventLog ? ["--event-log", o.eventLog] : []),
    ...(process.stdout.isTTY && o.inherit ? [] : ["--color", "never"]),
  ];
}

/** `pulumi preview` of the workspace's tree; resolves with the CLI's exit code (non-zero on failure or policy stop). */
export function preview(ws: StackWorkspace, o: CommandOptions = {}): Promise<PulumiRun> {
  const args = ["preview", ...commonArgs(ws, o), ...(o.diff ? ["--diff"] : []), ...(o.expectNoChanges ? ["--expect-no-changes"] : [])];
  return runPulumi(ws, args, { inherit: o.inherit ?? false, quiet: false });
}

/** `pulumi up --yes --skip-preview`: creates the stack's resources on the mock providers. */
export function up(ws: StackWorkspace, o: CommandOptions = {}): Promise<PulumiRun> {
  return runPulumi(ws, ["up", "--yes", "--skip-preview", ...commonArgs(ws, o)], { inherit: o.inherit ?? false, quiet: false });
}
