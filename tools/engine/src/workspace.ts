/**
 * A throwaway place for the real Pulumi CLI to run a project tree's program: a file backend, a Pulumi
 * home, a passphrase (in a 0600 file, never in the environment), and a project directory whose Pulumi.yaml
 * points at the tree's program and whose Pulumi.<stack>.yaml is generated from the stack's config with
 * the offline settings logic (stacks' loadStackConfig: placeholders for secrets this machine cannot
 * decrypt or that are unset). The repository's own stack files are never touched.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { parse, stringify } from "yaml";
import { offlineEnvVar } from "@tasks/stacks/config/examples";
import { loadStackConfig } from "@tasks/stacks/offline/stack-config";
import { runPulumi, type PulumiEnv } from "./pulumi-cli.js";

export interface StackWorkspace {
  readonly stack: string;
  /** The tree whose program runs (the working tree, or a worktree of a base commit). */
  readonly root: string;
  readonly dir: string;
  readonly projectDir: string;
  readonly env: PulumiEnv;
  /** Executable analyzer launcher for `--policy-pack` (see policyLauncher). */
  readonly policyPack: string;
  /** `--policy-pack-config` for the stack, when policies/config/<stack>.json exists. */
  readonly policyPackConfig?: string;
  /** Operator secrets the stack file lacks; a placeholder stands in for each (as in the offline plan). */
  readonly unsetSecrets: readonly string[];
}

export interface EnvironmentOptions {
  readonly binDir: string;
  readonly debugProviders: string;
  /** Shared with another workspace: same backend and passphrase (a base commit, then the working tree). */
  readonly from?: StackWorkspace;
}

/** The Node flags the project's Pulumi.yaml gives its runtime (the language host built here ignores them). */
export function projectNodeArgs(root: string): string {
  const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: string } } };
  return project.runtime?.options?.nodeargs ?? "";
}

function environment(dir: string, root: string, opts: EnvironmentOptions): PulumiEnv {
  const shared = opts.from?.env;
  const passphraseFile = shared?.PULUMI_CONFIG_PASSPHRASE_FILE ?? path.join(dir, "passphrase");
  if (!shared) writeFileSync(passphraseFile, randomBytes(24).toString("hex"), { mode: 0o600 });
  return {
    PATH: `${opts.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    HOME: process.env.HOME ?? os.homedir(),
    PULUMI_HOME: shared?.PULUMI_HOME ?? path.join(dir, "home"),
    PULUMI_BACKEND_URL: shared?.PULUMI_BACKEND_URL ?? `file://${path.join(dir, "backend")}`,
    PULUMI_CONFIG_PASSPHRASE_FILE: passphraseFile,
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DEBUG_PROVIDERS: opts.debugProviders,
    // Enables `--event-log` (the engine events as JSON lines), which the agreement check reads.
    PULUMI_DEBUG_COMMANDS: "true",
    NODE_OPTIONS: projectNodeArgs(root),
    // Mock providers, placeholder secrets: the program accepts the stack files' documentation values and says so.
    [offlineEnvVar]: "1",
  };
}

/**
 * The policy pack as an analyzer plugin: the CLI starts a directory pack through the language host's
 * RunPlugin, which the Node host built here lacks, but it launches an executable file directly.
 */
export function writePolicyLauncher(dir: string, root: string): string {
  const policies = path.join(root, "policies");
  const runner = createRequire(path.join(policies, "package.json")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const file = path.join(dir, "policy-pack");
  writeFileSync(file, `#!/bin/sh\ncd ${JSON.stringify(policies)} && exec node ${JSON.stringify(runner)} "$1" .\n`);
  chmodSync(file, 0o755);
  return file;
}

/** A Pulumi.yaml for the temporary project directory: the tree's, with `main` pointing back into the tree. */
function projectFile(root: string, projectDir: string): string {
  const project = parse(readFileSync(path.join(root, "Pulumi.yaml"), "utf8")) as { main?: string };
  project.main = path.relative(projectDir, path.join(root, project.main ?? "."));
  return stringify(project);
}

/** Writes the stack's config into the workspace's stack file: plain values as strings, secrets encrypted. */
async function setConfig(ws: Omit<StackWorkspace, "unsetSecrets">): Promise<string[]> {
  const { config, secretKeys, unsetSecrets } = loadStackConfig(ws.stack, ws.root);
  const args = Object.entries(config).flatMap(([k, v]) => [secretKeys.includes(k) ? "--secret" : "--plaintext", `${k}=${v}`]);
  if (args.length > 0) await runPulumi(ws, ["config", "set-all", "--stack", ws.stack, ...args], { quiet: true });
  return unsetSecrets;
}

/** Creates the workspace and its stack (`pulumi stack init`, or the shared backend's existing stack). */
export async function createWorkspace(root: string, stack: string, opts: EnvironmentOptions): Promise<StackWorkspace> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tasks-engine-${stack}-`));
  try {
    const projectDir = path.join(dir, "project");
    mkdirSync(projectDir);
    const env = environment(dir, root, opts);
    mkdirSync(env.PULUMI_HOME, { recursive: true });
    mkdirSync(env.PULUMI_BACKEND_URL.slice("file://".length), { recursive: true });
    writeFileSync(path.join(projectDir, "Pulumi.yaml"), projectFile(root, projectDir));
    const configFile = path.join(root, "policies", "config", `${stack}.json`);
    const base = {
      stack,
      root,
      dir,
      projectDir,
      env,
      policyPack: writePolicyLauncher(dir, root),
      ...(existsSync(configFile) ? { policyPackConfig: configFile } : {}),
    };
    if (opts.from) {
      // The same stack in the same backend: keep its encryption salt, then this tree's config.
      const salt = readFileSync(path.join(opts.from.projectDir, `Pulumi.${stack}.yaml`), "utf8").match(/^encryptionsalt:.*$/m)?.[0];
      writeFileSync(path.join(projectDir, `Pulumi.${stack}.yaml`), `${salt ?? ""}\n`);
    } else {
      await runPulumi(base, ["stack", "init", stack, "--secrets-provider", "passphrase", "--non-interactive"], { quiet: true });
    }
    return { ...base, unsetSecrets: await setConfig(base) };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

export function removeWorkspace(ws: StackWorkspace): void {
  rmSync(ws.dir, { recursive: true, force: true });
}
