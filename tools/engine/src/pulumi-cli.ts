/**
 * Runs the Pulumi CLI in a workspace: its environment only (every PULUMI_* variable of the caller is
 * dropped, so a developer's access token or passphrase never reaches this throwaway backend), in the
 * workspace's project directory.
 */
import { spawn } from "node:child_process";

export interface PulumiEnv {
  readonly PATH: string;
  readonly HOME: string;
  readonly PULUMI_HOME: string;
  readonly PULUMI_BACKEND_URL: string;
  readonly PULUMI_CONFIG_PASSPHRASE_FILE: string;
  readonly PULUMI_SKIP_UPDATE_CHECK: string;
  readonly PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: string;
  readonly PULUMI_DEBUG_PROVIDERS: string;
  readonly PULUMI_DEBUG_COMMANDS: string;
  readonly NODE_OPTIONS: string;
  /** "1": the program runs with the stack files' documentation stand-ins, as the offline plan does (stacks/src/config/examples.ts). */
  readonly TASKS_PLATFORM_OFFLINE: string;
}

export interface PulumiRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export interface RunOptions {
  /** Stream the CLI's stdout and stderr to ours (what `pulumi preview` prints); otherwise collect them. */
  readonly inherit?: boolean;
  /** Fail with the CLI's output when it exits non-zero. @default true when not inherit */
  readonly quiet?: boolean;
}

export class PulumiError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: PulumiRun,
  ) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-25).join("\n");
    super(`pulumi ${args.slice(0, 2).join(" ")} exited with ${result.code}:\n${tail}`);
  }
}

export function pulumiProcessEnv(env: PulumiEnv): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("PULUMI_")));
  return { ...base, ...env };
}

export function runPulumi(ws: { projectDir: string; env: PulumiEnv }, args: readonly string[], opts: RunOptions = {}): Promise<PulumiRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", args, {
      cwd: ws.projectDir,
      env: pulumiProcessEnv(ws.env),
      stdio: ["ignore", opts.inherit ? "inherit" : "pipe", opts.inherit ? "inherit" : "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => reject(new Error(`cannot start pulumi: ${e.message}`, { cause: e })));
    child.on("close", (code) => {
      const result = { code: code ?? 1, stdout, stderr, seconds: (performance.now() - started) / 1000 };
      if (result.code !== 0 && (opts.quiet ?? !opts.inherit)) reject(new PulumiError(args, result));
      else resolve(result);
    });
  });
}
