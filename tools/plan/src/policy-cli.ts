/**
 * Offline policy run: evaluates the CrossGuard pack (policies/) over the resources a stack's mocked
 * run registers, prints the violations (policy, resource, level, message), the suppressions in force
 * (policies/suppressions/<stack>.yaml, with their days left) and a summary, and exits non-zero on any
 * mandatory violation. No credentials, no Pulumi CLI, no cloud.
 *
 *   npm run policy -- --stack dev|prod|local [--stack ...|--all] [--json] [--config <file>] [--program <module>]
 *   npm run policy -- --write-readme      regenerate the policy table of policies/README.md
 *   npm run policy -- --write-taggable    regenerate the taggable Azure types from @pulumi/azure-native
 *   npm run policy -- --write-dapr-metadata   regenerate the Dapr component metadata schema (the types the
 *                                         project uses) from components-contrib at tools/dapr/go.mod's version
 *
 * Pulumi's runtime state is global, so one process runs one stack: several stacks run as children.
 * Exit codes: 0 no mandatory violation, 1 mandatory violations (or a failed child), 2 usage or program error.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { isStackName, stackNames } from "@tasks/stacks/offline/stack-config";
import { evaluatePolicies, loadPolicyConfig, type PolicyReport } from "@tasks/policies/evaluate/run";
import { formatSummary, formatSuppressions, formatViolationTable } from "@tasks/policies/evaluate/report";

const usage =
  "usage: npm run policy -- --stack dev|prod|local [--stack ...|--all] [--json] [--config <file>] [--program <module>] | --write-readme | --write-taggable | --write-dapr-metadata";

interface Options {
  readonly stacks: string[];
  readonly json: boolean;
  readonly config?: string;
  readonly program?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options | "write-readme" | "write-taggable" | "write-dapr-metadata" {
  const stacks: string[] = [];
  let json = false;
  let config: string | undefined;
  let program: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === "--write-readme") return "write-readme";
    if (a === "--write-taggable") return "write-taggable";
    if (a === "--write-dapr-metadata") return "write-dapr-metadata";
    if (a === "--stack") stacks.push(...value().split(","));
    else if (a === "--all") stacks.push(...stackNames);
    else if (a === "--json") json = true;
    else if (a === "--config") config = value();
    else if (a === "--program") program = value();
    else throw new UsageError(`unknown argument "${a}"`);
  }
  if (stacks.length === 0) throw new UsageError("give --stack (or --all)");
  for (const s of stacks) if (!isStackName(s)) throw new UsageError(`unknown stack "${s}"; expected one of: ${stackNames.join(", ")}`);
  return { stacks: [...new Set(stacks)], json, ...(config ? { config } : {}), ...(program ? { program } : {}) };
}

function printReport(report: PolicyReport): void {
  const table = formatViolationTable(report.violations);
  if (table) console.log(table + "\n");
  console.log(formatSuppressions(report) + "\n");
  console.log(formatSummary(report));
}

async function runOne(stack: string, o: Options): Promise<number> {
  const { runStackMocked } = await import("@tasks/stacks/offline/mocked-run");
  const run = await runStackMocked(
    stack as (typeof stackNames)[number],
    o.program ? { program: pathToFileURL(path.resolve(o.program)).href } : {},
  );
  const report = await evaluatePolicies(run, o.config ? { config: loadPolicyConfig(path.resolve(o.config)) } : {});
  if (o.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  return report.mandatory > 0 ? 1 : 0;
}

/** Runs each stack in its own process; with --json, prints one JSON array of the reports. */
async function runMany(o: Options): Promise<number> {
  const self = fileURLToPath(import.meta.url);
  const results: { stack: string; code: number; stdout: string }[] = [];
  for (const stack of o.stacks) {
    const args = [
      "--import",
      "tsx",
      self,
      "--stack",
      stack,
      ...(o.json ? ["--json"] : []),
      ...(o.config ? ["--config", o.config] : []),
      ...(o.program ? ["--program", o.program] : []),
    ];
    const child = spawn(process.execPath, args, { stdio: ["ignore", o.json ? "pipe" : "inherit", "inherit"] });
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
    results.push({ stack, code, stdout });
    if (!o.json) console.log("");
  }
  if (o.json)
    console.log(
      JSON.stringify(
        results.map((r) => (r.stdout.trim() ? JSON.parse(r.stdout) : { stack: r.stack, error: `exit code ${r.code}` })),
        null,
        2,
      ),
    );
  return Math.max(...results.map((r) => r.code));
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`${e.message}\n${usage}`);
    return 2;
  }
  if (parsed === "write-readme") {
    const { writeReadmeTable } = await import("@tasks/policies/generate/readme");
    console.log(`wrote ${writeReadmeTable()}`);
    return 0;
  }
  if (parsed === "write-taggable") {
    const { writeTaggableTypes } = await import("@tasks/policies/generate/taggable");
    console.log(`wrote ${writeTaggableTypes()}`);
    return 0;
  }
  if (parsed === "write-dapr-metadata") {
    const { writeDaprMetadata } = await import("@tasks/policies/generate/dapr-metadata");
    const { daprComponentTypesInUse } = await import("./dapr-types.js");
    const types = daprComponentTypesInUse();
    console.log(`wrote ${writeDaprMetadata(types, (m) => console.error(`dapr-metadata: ${m}`))} (${types.join(", ")})`);
    return 0;
  }
  if (parsed.stacks.length > 1) return runMany(parsed);
  try {
    return await runOne(parsed.stacks[0] as string, parsed);
  } catch (e) {
    console.error(`policy run of stack ${parsed.stacks[0]} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return 2;
  }
}

/** Runs the policy CLI (scripts/policy.ts, `npm run policy`); sets the exit code. */
export async function runPolicyCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.exitCode = await main(argv);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runPolicyCli();
