/**
 * Infra benchmark (`npm run bench:infra [-- --runs N] [--skip-typecheck]`). Prints, measured in this run:
 *   1. the type-check cost (wall time, peak RSS) of ONE file that imports two @pulumi/azure-native
 *      sub-modules and of the whole repo (tsconfig.json), each with both compilers the repo installs:
 *      TypeScript 7 (`typescript-7`, native; what `npm run typecheck` runs) and TypeScript 5.9
 *      (`typescript`, kept because Pulumi's runtime loads its JS API; `>=3.8 <7` in its peer range);
 *   2. the target ratio: the whole repo as `npm run typecheck` checks it (TypeScript 7) against the
 *      issue's reference, the one file under the classic compiler (TypeScript 5.9, "about 5 s and
 *      440 MB on a 2-core machine"); the same-compiler ratios are printed beside it;
 *   3. the mocked evaluation time of each stack (dev, prod, local), each in its own process, as the
 *      offline plan runs it (target: prod under 3 s).
 * Peak RSS is the compiler process's own VmHWM from /proc (sampled every 10 ms, so a rise in the last
 * 10 ms can be missed; "n/a" where /proc does not exist).
 * "Evaluation" is runStackMocked (the program, its imports and every resource under mocks); loading
 * the Pulumi SDK and Node/tsx start-up are printed beside it, in the whole-process time.
 * Numbers on a shared machine vary: evaluations run --runs times (default 3) and the median is used.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const stacks = ["dev", "prod", "local"] as const;
const targets = { typecheckRatio: 2, prodEvalMs: 3000 };

interface ChildResult {
  readonly code: number;
  readonly wallMs: number;
  readonly stdout: string;
  readonly stderr: string;
  /** VmHWM of the child itself, in MB; undefined where /proc is missing. */
  readonly peakRssMb: number | undefined;
}

function peakRssMb(pid: number): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

function runChild(command: string, args: string[]): Promise<ChildResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    let peak: number | undefined;
    const sample = (): void => {
      const mb = child.pid === undefined ? undefined : peakRssMb(child.pid);
      if (mb !== undefined) peak = Math.max(peak ?? 0, mb);
    };
    const sampler = setInterval(sample, 10);
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", () => clearInterval(sampler));
    child.on("close", (code) => resolve({ code: code ?? 1, wallMs: performance.now() - started, stdout, stderr, peakRssMb: peak }));
  });
}

interface Compiler {
  readonly label: string;
  readonly command: string;
  readonly args: readonly string[];
}

/** TypeScript 5.9: its tsc.js in a node process. */
const classic: Compiler = {
  label: "TypeScript 5.9",
  command: process.execPath,
  args: [path.join(root, "node_modules/typescript/lib/tsc.js")],
};

/** TypeScript 7: the native executable itself (its bin/tsc is a node launcher that would hide the RSS). */
async function native(): Promise<Compiler> {
  const getExePath = (
    (await import(pathToFileURL(path.join(root, "node_modules/typescript-7/lib/getExePath.js")).href)) as { default: () => string }
  ).default;
  return { label: "TypeScript 7", command: getExePath(), args: [] };
}

interface TscResult {
  readonly wallMs: number;
  readonly peakRssMb: number | undefined;
  readonly errors: number;
}

async function typecheck(compiler: Compiler, project: string): Promise<TscResult> {
  const r = await runChild(compiler.command, [...compiler.args, "-p", project, "--noEmit", "--pretty", "false"]);
  return { wallMs: r.wallMs, peakRssMb: r.peakRssMb, errors: (r.stdout.match(/error TS\d+/g) ?? []).length };
}

/** The reference: one file importing two azure-native sub-modules, with the repo's compiler options. */
function writeOneFileProject(): string {
  const dir = path.join(root, ".tmp", "bench-infra");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "one-file.ts"),
    [
      'import * as containerservice from "@pulumi/azure-native/containerservice/index.js";',
      'import * as eventhub from "@pulumi/azure-native/eventhub/index.js";',
      "export type Args = containerservice.ManagedClusterArgs | eventhub.NamespaceArgs;",
      "export const kinds = [containerservice.ManagedCluster, eventhub.Namespace];",
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(dir, "tsconfig.json"),
    JSON.stringify({ extends: "../../tsconfig.base.json", compilerOptions: { noEmit: true }, files: ["one-file.ts"] }, null, 2),
  );
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
  const { evaluateStack } = await import("@tasks/plan/plan-run");
  const sdkStart = performance.now();
  await import("@tasks/stacks/offline/mocked-run");
  const sdkMs = performance.now() - sdkStart;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const run = await evaluateStack(stack);
  const evalMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  const result: EvalResult = {
    stack,
    resources: run.resources.length,
    sdkMs,
    evalMs,
    cpuMs: (used.user + used.system) / 1000,
    processMs: performance.now(),
  };
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`, () => process.exit(0));
}

async function evaluate(stack: string): Promise<EvalResult | string> {
  const r = await runChild(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), "--child", stack]);
  const line = /BENCH_RESULT (.*)/.exec(r.stdout)?.[1];
  if (!line)
    return (
      r.stderr
        .trim()
        .split("\n")
        .filter((l) => !l.startsWith("warning:"))
        .slice(-1)[0] ?? `exit ${r.code}`
    );
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
  say(
    `bench:infra on ${process.platform}/${process.arch}, node ${process.version}, load average ${(await import("node:os"))
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );

  let ratioOk: boolean | undefined;
  if (!argv.includes("--skip-typecheck")) {
    say("\nType-check (tsc -p <project> --noEmit, one child process each, same run):");
    const ts7 = await native();
    const oneFile = writeOneFileProject();
    const wholeRepo = path.join(root, "tsconfig.json");
    const mb = (r: TscResult): string => (r.peakRssMb === undefined ? "n/a" : r.peakRssMb.toFixed(0)).padStart(5);
    const row = (what: string, r: TscResult): void =>
      say(`  ${what.padEnd(46)} ${sec(r.wallMs).padStart(8)}  ${mb(r)} MB peak RSS${r.errors ? `  (${r.errors} type errors)` : ""}`);
    const reference = await typecheck(classic, oneFile);
    row("one file, TypeScript 5.9 (the reference)", reference);
    const one7 = await typecheck(ts7, oneFile);
    row("one file, TypeScript 7", one7);
    const whole7 = await typecheck(ts7, wholeRepo);
    row("whole repo, TypeScript 7 (npm run typecheck)", whole7);
    const whole5 = await typecheck(classic, wholeRepo);
    row("whole repo, TypeScript 5.9", whole5);
    const ratios = (a: TscResult, b: TscResult): { time: number; memory: number | undefined } => ({
      time: a.wallMs / b.wallMs,
      memory: a.peakRssMb !== undefined && b.peakRssMb !== undefined ? a.peakRssMb / b.peakRssMb : undefined,
    });
    const show = (r: { time: number; memory: number | undefined }): string =>
      `time ${r.time.toFixed(2)}x, memory ${r.memory === undefined ? "n/a" : r.memory.toFixed(2) + "x"}`;
    const target = ratios(whole7, reference);
    ratioOk = target.time < targets.typecheckRatio && (target.memory ?? Infinity) < targets.typecheckRatio;
    say(`  target, whole repo (TypeScript 7) / reference: ${show(target)}  (< ${targets.typecheckRatio}x: ${verdict(ratioOk)})`);
    say(`  same compiler, whole / one file: TypeScript 7 ${show(ratios(whole7, one7))}; TypeScript 5.9 ${show(ratios(whole5, reference))}`);
    say(`  TypeScript 7 checks the whole repo ${(whole5.wallMs / whole7.wallMs).toFixed(1)}x faster than TypeScript 5.9`);
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
    say(
      `  ${stack.padEnd(5)}  ${String(results[0]!.resources).padStart(4)} resources  evaluation ${sec(evalMs)} (min ${sec(Math.min(...results.map((r) => r.evalMs)))}, cpu ${sec(median(results.map((r) => r.cpuMs)))})` +
        `  + SDK load ${sec(median(results.map((r) => r.sdkMs)))}  = whole process ${sec(median(results.map((r) => r.processMs)))}`,
    );
  }
  const prodOk = prodMs !== undefined && prodMs < targets.prodEvalMs;
  say(
    `\nTargets: whole-repo type-check < ${targets.typecheckRatio}x one file: ${ratioOk === undefined ? "skipped" : verdict(ratioOk)}; prod mocked evaluation < ${sec(targets.prodEvalMs)}: ${verdict(prodOk)}`,
  );
}

await main(process.argv.slice(2));
