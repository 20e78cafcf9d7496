/**
 * podman as the project runs it: the project's containers.conf (runc, no default rlimits) unless the
 * caller set CONTAINERS_CONF, so a developer's own configuration files stay untouched.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const containersConf = path.join(repoRoot, "tools", "images", "containers.conf");

/** The environment for podman and buildah: CONTAINERS_CONF defaults to the project's file. */
export function podmanEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env, CONTAINERS_CONF: env.CONTAINERS_CONF || containersConf };
}

/** Why podman cannot be used here, or undefined when `podman info` works. */
export function podmanProblem(): string | undefined {
  const r = spawnSync("podman", ["info", "--format", "{{.Host.OCIRuntime.Name}}"], { env: podmanEnv(), encoding: "utf8" });
  if (r.error) return "podman is not installed (bash scripts/install-ci-tools.sh installs podman, buildah, runc and mmdebstrap from apt)";
  if (r.status !== 0) return `podman info failed: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ")}`;
  return undefined;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs podman to completion; `onLine` sees every output line (stdout and stderr) as it arrives. */
export function podman(args: readonly string[], opts: { onLine?: (line: string) => void; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("podman", [...args], { env: podmanEnv(), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    const lines = (chunk: string, carry: { rest: string }) => {
      const parts = (carry.rest + chunk).split("\n");
      carry.rest = parts.pop() ?? "";
      for (const l of parts) opts.onLine?.(l);
    };
    const outCarry = { rest: "" };
    const errCarry = { rest: "" };
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      lines(d.toString(), outCarry);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
      lines(d.toString(), errCarry);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      for (const rest of [outCarry.rest, errCarry.rest]) if (rest) opts.onLine?.(rest);
      resolve({ code: code ?? 1, stdout, stderr });
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** podman that must succeed: returns stdout, or throws with the command and its error output. */
export async function podmanOk(args: readonly string[], input?: string): Promise<string> {
  const r = await podman(args, input === undefined ? {} : { input });
  if (r.code !== 0) throw new Error(`podman ${args.join(" ")} exited ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export interface ImageFacts {
  readonly id: string;
  /** Uncompressed size in bytes, as `podman images` reports it. */
  readonly size: number;
  readonly layers: number;
  readonly digest: string;
}

export async function imageFacts(ref: string): Promise<ImageFacts> {
  const out = await podmanOk(["image", "inspect", "--format", "{{.Id}} {{.Size}} {{len .RootFS.Layers}} {{.Digest}}", ref]);
  const [id, size, layers, digest] = out.trim().split(" ");
  return { id: id!, size: Number(size), layers: Number(layers), digest: digest! };
}
