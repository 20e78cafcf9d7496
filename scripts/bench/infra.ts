/**
 * Infra benchmark (`npm run bench:infra [-- --runs N] [--skip-typecheck]`). Prints, measured in this run:
 *   1. the whole-repo type-check (tsc -p tsconfig.json): wall time and peak RSS;
 *   2. the same for ONE file that imports two @pulumi/azure-native sub-modules (the reference cost);
 *   3. their ratio (target: the whole repo under 2x the one file);
 *   4. the mocked evaluation time of each stack (dev, prod, local), each in its own process, as the
 *      offline plan runs it (target: prod under 3 s).
 * Each measurement runs in a child process; peak RSS is the child's own process.resourceUsage().
 * "Evaluation" is runStackMocked (the program, its imports and every resource under mocks); loading
 * the Pulumi SDK and Node/tsx start-up are printed beside it, in the whole-process time.
 * Numbers on a shared machine vary: evaluations run --runs times (default 3) and the median is used.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const stacks = ["dev", "prod", "local"] as const;
const targets = { typecheckRatio: 2, prodEvalMs: 3000 };

interface ChildResult {
  readonly code: number;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
}

function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, wallMs: performance.now() - started, stdout, stderr }));
  });
}

interface TscResult {
  readonly wallMs: number;
  readonly peakRssMb: number;
  readonly errors: number;
}

/** tsc in a child node whose exit hook reports its own peak RSS on the last stderr line. */
async function typecheck(project: string): Promise<TscResult> {
  const hook = "process.on('exit',()=>{process.stderr.write('\\nBENCH_RSS '+process.resourceUsage().maxRSS+'\\n')});" +
    `process.argv=[process.argv[0],'tsc','-p',${JSON.stringify(project)},'--noEmit','--pretty','false'];require(${JSON.stringify(path.join(root, "node_modules/typescript/lib/tsc.js"))})`;
  const r = await runChild(["-e", hook]);
  const rssKb = Number(/BENCH_RSS (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  return { wallMs: r.wallMs, peakRssMb: rssKb / 1024, errors: (r.stdout.match(/error TS\d+/g) ?? []).length };
}

/** The reference: one file importing two azure-native sub-modules, with the repo's compiler options. */
function writeOneFileProject(): string {
  const dir = path.join(root, ".tmp", "bench-infra");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "one-file.ts"), [
    'import * as containerservice from "@pulumi/azure-native/containerservice/index.js";',
    'import * as eventhub from "@pulumi/azure-native/eventhub/index.js";',
    "export type Args = containerservice.ManagedClusterArgs | eventhub.NamespaceArgs;",
    "export const kinds = [containerservice.ManagedCluster, eventhub.Namespace];",
    "",
  ].join("\n"));
  writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ extends: "../../tsconfig.base.json", compilerOptions: { noEmit: true }, files: ["one-file.ts"] }, null, 2));
  return path.join(dir, "tsconfig.json");
}

interface EvalResult {
  readonly stack: string;
  readonly resources: number;
  /** Loading the Pulumi SDK and the mocked-run harness (the same for every stack). */
  readonly sdkMs: number;
  /** The stack's evaluation: runStackMocked, the program's own imports included. */
  readonly evalMs: number;
  readonly cpuMs: number;
  /** Process start to result: Node, tsx, the SDK and the evaluation. */
  readonly processMs: number;
}

/** Child mode: evaluate one stack the way the plan does (plan-run.ts) and print the timings as JSON. */
async function child(stack: (typeof stacks)[number]): Promise<void> {
  const { evaluateStack } = await import("../lib/plan-run.js");
  const sdkStart = performance.now();
  await import("../../stacks/src/testing/mocked-run.js");
  const sdkMs = performance.now() - sdkStart;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const run = await evaluateStack(stack);
  const evalMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const result: EvalResult = { stack, resources: run.resources.length, sdkMs, evalMs, cpuMs: (used.user + used.system) / 1000, processMs: performance.now() };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
}

async function evaluate(stack: string): Promise<EvalResult | string> {
  const r = await runChild(["--import", "tsx", fileURLToPath(import.meta.url), "--child", stack]);
  const line = /BENCH_RESULT (.*)/.exec(r.stdout)?.[1];
  if (!line) return r.stderr.trim().split("\n").filter((l) => !l.startsWith("warning:")).slice(-1)[0] ?? `exit ${r.code}`;
  return JSON.parse(line) as EvalResult;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const sec = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const verdict = (ok: boolean): string => (ok ? "MET" : "NOT MET");

async function main(argv: string[]): Promise<void> {
  const childAt = argv.indexOf("--child");
  if (childAt >= 0) return child(argv[childAt + 1] as (typeof stacks)[number]);
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Math.max(1, Number(argv[runsAt + 1])) : 3;
  const say = (s: string): void => void process.stdout.write(`${s}\n`);
  say(`bench:infra on ${process.platform}/${process.arch}, node ${process.version}, load average ${(await import("node:os")).loadavg().map((l) => l.toFixed(2)).join(" ")}`);

  let ratioOk: boolean | undefined;
  if (!argv.includes("--skip-typecheck")) {
    say("\nType-check (tsc --noEmit, one child process each, same run):");
    const one = await typecheck(writeOneFileProject());
    const whole = await typecheck(path.join(root, "tsconfig.json"));
    say(`  one file, two azure-native sub-modules  ${sec(one.wallMs).padStart(8)}  ${one.peakRssMb.toFixed(0).padStart(5)} MB peak RSS`);
    say(`  whole repo (tsconfig.json)              ${sec(whole.wallMs).padStart(8)}  ${whole.peakRssMb.toFixed(0).padStart(5)} MB peak RSS${whole.errors ? `  (${whole.errors} type errors)` : ""}`);
    const timeRatio = whole.wallMs / one.wallMs;
    const memRatio = whole.peakRssMb / one.peakRssMb;
    ratioOk = timeRatio < targets.typecheckRatio && memRatio < targets.typecheckRatio;
    say(`  ratio whole/one: time ${timeRatio.toFixed(2)}x, memory ${memRatio.toFixed(2)}x  (target < ${targets.typecheckRatio}x: ${verdict(ratioOk)})`);
  }

  say(`\nMocked evaluation (runStackMocked as the plan runs it, one process per run, median of ${runs}):`);
  let prodMs: number | undefined;
  for (const stack of stacks) {
    const results: EvalResult[] = [];
    let failure: string | undefined;
    for (let i = 0; i < runs && !failure; i++) {
      const r = await evaluate(stack);
      if (typeof r === "string") failure = r;
      else results.push(r);
    }
    if (failure || results.length === 0) {
      say(`  ${stack.padEnd(5)}  failed: ${failure}`);
      continue;
    }
    const evalMs = median(results.map((r) => r.evalMs));
    if (stack === "prod") prodMs = evalMs;
    say(`  ${stack.padEnd(5)}  ${String(results[0]!.resources).padStart(4)} resources  evaluation ${sec(evalMs)} (min ${sec(Math.min(...results.map((r) => r.evalMs)))}, cpu ${sec(median(results.map((r) => r.cpuMs)))})` +
      `  + SDK load ${sec(median(results.map((r) => r.sdkMs)))}  = whole process ${sec(median(results.map((r) => r.processMs)))}`);
  }
  const prodOk = prodMs !== undefined && prodMs < targets.prodEvalMs;
  say(`\nTargets: whole-repo type-check < ${targets.typecheckRatio}x one file: ${ratioOk === undefined ? "skipped" : verdict(ratioOk)}; prod mocked evaluation < ${sec(targets.prodEvalMs)}: ${verdict(prodOk)}`);
}

await main(process.argv.slice(2));
