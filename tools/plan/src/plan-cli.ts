/**
 * Offline plan: `npm run plan -- --stack dev|prod|local [--json] [--render <dir>]`.
 *
 * Runs the stack's Pulumi program under Pulumi's mocks (@tasks/stacks/offline/mocked-run) with the
 * config of Pulumi.<stack>.yaml, and prints what `pulumi up` would create: the resource tree with key
 * settings, the stack outputs with secrets masked, and a count by type. No cloud, no credentials, no
 * Pulumi CLI. One stack per process (Pulumi's runtime state is global). Progress goes to stderr.
 * `--set key=value` overrides a config key for a what-if plan.
 * Exit codes: 0 planned, 1 the program failed (config error, limit exceeded, missing module), 2 usage.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PlanUsageError, parsePlanArgs, planUsage, type PlanArgs } from "./plan-args.js";
import { describeFailure, evaluateStack } from "./plan-run.js";
import { planSections } from "./plan-sections.js";
import { planJson, renderOutputs, renderSummary, renderTree, summarize } from "./plan-tree.js";
import type { MockedRun } from "@tasks/stacks/offline/mocked-run";

const progress = (msg: string): void => void process.stderr.write(`plan: ${msg}\n`);

async function sectionLines(run: MockedRun): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const s of planSections) out[s.title] = await s.lines(run);
  return out;
}

function printText(run: MockedRun, sections: Record<string, string[]>): string {
  const out = [
    `Plan for stack "${run.stack}" (offline, under mocks: what \`pulumi up\` would create)`,
    "",
    ...renderTree(run.resources),
    "Outputs:",
    ...renderOutputs(run.outputs),
    "",
  ];
  for (const [title, lines] of Object.entries(sections)) out.push(`${title}:`, ...lines, "");
  out.push("Summary:", ...renderSummary(summarize(run.resources)));
  return `${out.join("\n")}\n`;
}

async function main(argv: readonly string[]): Promise<number> {
  let args: PlanArgs | "help";
  try {
    args = parsePlanArgs(argv);
  } catch (e) {
    if (!(e instanceof PlanUsageError)) throw e;
    process.stderr.write(`plan: ${e.message}\n${planUsage.split("\n")[0]}\n`);
    return 2;
  }
  if (args === "help") {
    process.stdout.write(`${planUsage}\n`);
    return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
  }
  const started = performance.now();
  progress(`evaluating stack ${args.stack} under mocks (Pulumi.${args.stack}.yaml)…`);
  let run: MockedRun;
  try {
    run = await evaluateStack(args.stack, args.overrides);
  } catch (e) {
    failed = true;
    process.stderr.write(`plan: ${describeFailure(e, args.stack)}\n`);
    return 1;
  }
  progress(`${run.resources.length} resources in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const key of run.unsetSecrets) {
    progress(
      `${key} is not set in Pulumi.${args.stack}.yaml, so this plan used a placeholder; pulumi up stops until you run: pulumi config set --secret ${key} <value> --stack ${args.stack}`,
    );
  }
  for (const value of run.exampleValues) {
    progress(
      `${value} is a documentation value: this plan used it; a real pulumi preview or up stops until Pulumi.${args.stack}.yaml has the real one`,
    );
  }
  const sections = await sectionLines(run);
  if (args.render) {
    const { renderManifests } = await import("@tasks/stacks/offline/render-manifests");
    mkdirSync(args.render, { recursive: true });
    try {
      const n = await renderManifests(run.resources, args.render);
      progress(`wrote ${n} Kubernetes manifests under ${args.render}`);
    } catch (e) {
      process.stderr.write(`plan: rendering manifests failed: ${String((e as Error).message).split("\n")[0]}\n`);
      return 1;
    }
  }
  process.stdout.write(args.json ? `${JSON.stringify(planJson(run, sections), null, 2)}\n` : printText(run, sections));
  return 0;
}

// After a program failure, outputs that depended on it reject too: say nothing more about them.
// Otherwise an unhandled rejection is a failure of its own, reported in one line.
let failed = false;
let rejected = false;

/** Runs the plan CLI in this process (scripts/plan.ts, `npm run plan`) and exits once stdout is flushed. */
export async function runPlanCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.on("unhandledRejection", (reason) => {
    if (failed) return;
    rejected = true;
    process.stderr.write(`plan: unhandled error: ${String((reason as Error)?.message ?? reason).split("\n")[0]}\n`);
  });
  const code = await main(argv);
  process.stdout.write("", () => process.exit(code || (rejected ? 1 : 0)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runPlanCli();
