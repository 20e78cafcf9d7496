/**
 * The Pulumi CLI and Node language host, built from the pinned Go modules under tools/pulumi by
 * scripts/integration/pulumi-binaries.sh (cached; a cold build takes minutes and prints progress).
 */
import { spawn } from "node:child_process";
import path from "node:path";

export interface PulumiBinaries {
  readonly version: string;
  readonly cli: string;
  readonly languageHost: string;
  /** Holds both, under the names the engine looks up on PATH. */
  readonly binDir: string;
}

/** KEY=value lines, as the integration scripts print them. */
export function keyValues(out: string): Record<string, string> {
  return Object.fromEntries([...out.matchAll(/^([A-Z_][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Builds (or finds cached) binaries; the script's progress goes to our stderr. */
export function pulumiBinaries(repoRoot: string): Promise<PulumiBinaries> {
  const script = path.join(repoRoot, "scripts", "integration", "pulumi-binaries.sh");
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [script], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      const kv = keyValues(out);
      if (code !== 0 || !kv.PULUMI_CLI || !kv.PULUMI_BIN_DIR) {
        reject(new Error(`${path.relative(process.cwd(), script)} failed (exit ${code}); its messages are above`));
        return;
      }
      resolve({
        version: kv.PULUMI_VERSION ?? "",
        cli: kv.PULUMI_CLI,
        languageHost: kv.PULUMI_LANGUAGE_NODEJS ?? "",
        binDir: kv.PULUMI_BIN_DIR,
      });
    });
  });
}
