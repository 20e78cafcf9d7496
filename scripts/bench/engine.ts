/**
 * Engine benchmark (`npm run bench:engine [-- --stacks dev,prod,local] [--cold]`). Prints, measured in this run:
 *   1. getting the Pulumi CLI and language host (scripts/integration/pulumi-binaries.sh): the cache
 *      lookup, or with --cold a full build into a scratch PULUMI_BIN_DIR (the Go module and build caches
 *      are shared, so "cold" there means cold binaries, warm Go caches unless those are empty too);
 *   2. per stack: `pulumi preview` with the policy pack against the mock providers (wall time, the
 *      engine's own duration) beside the mocked run of the same stack (`npm run plan -- --json`);
 *   3. for local: `pulumi up`, then the second preview that must report no change.
 * And the 1-minute load average before and after, since the machine is shared.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { readEventLog } from "@tasks/engine/event-log";
import { preview, startSession, up } from "@tasks/engine/session";
import { removeWorkspace } from "@tasks/engine/workspace";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const stacks = (arg("--stacks") ?? "dev,prod,local").split(",");
const load = (): string => os.loadavg()[0]!.toFixed(2);
const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ ms: number; code: number }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ["ignore", "ignore", "ignore"] });
    child.on("close", (code) => resolve({ ms: performance.now() - started, code: code ?? 1 }));
  });
}

async function main(): Promise<void> {
  console.log(`load average (1 min) at start: ${load()} on ${os.cpus().length} CPUs`);
  if (process.argv.includes("--cold")) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "bench-pulumi-"));
    const cold = await timed("bash", ["scripts/integration/pulumi-binaries.sh"], { ...process.env, PULUMI_BIN_DIR: dir });
    console.log(`CLI + language host, cold build into a scratch dir: ${s(cold.ms)} (exit ${cold.code})`);
    rmSync(dir, { recursive: true, force: true });
  }
  const warm = await timed("bash", ["scripts/integration/pulumi-binaries.sh"]);
  console.log(`CLI + language host from the cache: ${s(warm.ms)}`);

  const session = await startSession(root);
  try {
    for (const stack of stacks) {
      const mocked = await timed("npm", ["run", "--silent", "plan", "--", "--stack", stack, "--json"]);
      const ws = await session.workspace(root, stack);
      try {
        const log = path.join(ws.dir, "events.jsonl");
        const r = await preview(ws, { eventLog: log });
        const run = readEventLog(log);
        console.log(
          `${stack}: engine preview ${r.seconds.toFixed(1)} s (exit ${r.code}, ${run.resources.length} resources, ${run.violations.length} policy events); mocked plan ${s(mocked.ms)}`,
        );
        if (stack === "local") {
          const created = await up(ws);
          const again = await preview(ws, { expectNoChanges: true });
          console.log(
            `local: up ${created.seconds.toFixed(1)} s (exit ${created.code}); second preview ${again.seconds.toFixed(1)} s (exit ${again.code})`,
          );
        }
      } finally {
        removeWorkspace(ws);
      }
    }
  } finally {
    await session.close();
  }
  console.log(`load average (1 min) at end: ${load()}`);
}

await main();
