import { stackNames, type StackName } from "@tasks/stacks/offline/stack-config";

export const planUsage = [
  "usage: npm run plan -- --stack dev|prod|local [--json] [--render <dir>] [--set <key>=<value>]...",
  "",
  "Runs the stack's Pulumi program under mocks with Pulumi.<stack>.yaml (no cloud, no credentials) and",
  "prints what `pulumi up` would create: the resource tree with key settings, the stack outputs",
  "(secrets masked) and a count by type.",
  "  --json          machine-readable plan: { stack, resources[], outputs, summary, sections }",
  "  --render <dir>  also write the Kubernetes objects the stack creates as YAML under <dir>",
  "  --set k=v       override a config key for this plan only (what-if), e.g.",
  '                  --set \'eventHubs={"sku":"Standard","capacity":1}\'  (key without namespace = tasks-platform)',
].join("\n");

export interface PlanArgs {
  readonly stack: StackName;
  readonly json: boolean;
  readonly render?: string;
  /** Config overrides, `key` (project namespace implied) or `ns:key` → raw value as Pulumi would hand it over. */
  readonly overrides: Readonly<Record<string, string>>;
}

export class PlanUsageError extends Error {}

/** Parses the plan's arguments; `help` when there is nothing to run. */
export function parsePlanArgs(argv: readonly string[]): PlanArgs | "help" {
  let stack: string | undefined;
  let json = false;
  let render: string | undefined;
  const overrides: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith("--") ? (a.split("=", 2) as [string, string | undefined]) : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || v.startsWith("--")) throw new PlanUsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === "--help" || flag === "-h") return "help";
    else if (flag === "--stack") stack = value();
    else if (flag === "--json") json = true;
    else if (flag === "--render") render = value();
    else if (flag === "--set") {
      const kv = value();
      const eq = kv.indexOf("=");
      if (eq <= 0) throw new PlanUsageError(`--set needs key=value, got "${kv}"`);
      overrides[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else throw new PlanUsageError(`unknown argument "${a}"`);
  }
  if (stack === undefined) return "help";
  if (!(stackNames as readonly string[]).includes(stack))
    throw new PlanUsageError(`unknown stack "${stack}"; expected one of: ${stackNames.join(", ")}`);
  return { stack: stack as StackName, json, overrides, ...(render ? { render } : {}) };
}
