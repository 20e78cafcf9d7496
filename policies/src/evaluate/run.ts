/**
 * Evaluates the policy pack over a stack's mocked run, the way `pulumi preview --policy-pack policies`
 * would over the real resources: every resource policy on each resource's inputs, every stack policy
 * on the resources' outputs (the mocked state). The plan tool (@tasks/plan) calls `evaluatePolicies`
 * to append a policy summary and prints the table of `npm run policy`. A run is read through the
 * StackRun shape below, which stacks' offline MockedRun satisfies: policies never import stacks.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { policies as allPolicies, policyPackName, type AnyPolicy } from "../index.js";
import { evaluatePack, type PackConfig, type ResourceSnapshot, type Violation } from "./invoke.js";
import { activeSuppression, daysLeft, entryProblems, loadSuppressions, policyIndex, today, type Suppression } from "../lib/suppressions.js";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A resource as a stack run recorded it: its inputs, its (mocked) state and its options. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent resource, if any. */
  readonly parent?: string;
  /** `<provider urn>::<provider id>`. */
  readonly provider?: string;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
  readonly protect: boolean;
  readonly ignoreChanges: string[];
  readonly dependsOn: string[];
  readonly additionalSecretOutputs: string[];
}

/** What the evaluator reads of a stack run (stacks' offline MockedRun has this shape and more). */
export interface StackRun {
  readonly stack: string;
  readonly resources: readonly RecordedResource[];
}

/** Per-stack policy config, also usable as `pulumi preview --policy-pack-config policies/config/<stack>.json`. */
export const policyConfigFile = (stack: string): string => path.join(packageRoot, "config", `${stack}.json`);

export function loadPolicyConfig(file: string): PackConfig {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as PackConfig;
  } catch (e) {
    throw new Error(`Cannot read policy config ${file}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

export interface ReportedViolation extends Violation {
  /** `type::name` of the resource, or `(stack)` for a stack-wide violation. */
  readonly resource: string;
}

export interface PolicyReport {
  readonly stack: string;
  readonly policies: number;
  readonly resources: number;
  readonly violations: ReportedViolation[];
  readonly mandatory: number;
  readonly advisory: number;
  /** Policies that reported a violation, by level. */
  readonly byPolicy: { readonly policy: string; readonly level: string; readonly count: number }[];
  readonly suppressions: SuppressionReport;
}

/** A suppression in force, with what it silenced in this run. */
export interface ActiveSuppression extends Suppression {
  readonly daysLeft: number;
  /** How many violations of this run it covers. */
  readonly suppressed: number;
}

export interface SuppressionReport {
  /** The stack's suppression file, relative to the pack. */
  readonly file: string;
  /** The entries in force (expired or malformed ones are `suppression-valid` violations instead). */
  readonly active: ActiveSuppression[];
  /** The violations they silenced. */
  readonly suppressed: ReportedViolation[];
}

export interface EvaluateOptions {
  /** Policy pack config; defaults to policies/config/<stack>.json when it exists. */
  readonly config?: PackConfig;
  readonly policies?: readonly AnyPolicy[];
}

/** The stack tags the CLI would send: Pulumi's own plus the project's `pulumi:tags` config. */
function stackTags(): ReadonlyMap<string, string> {
  return new Map([
    ["pulumi:project", "tasks-platform"],
    ["pulumi:runtime", "nodejs"],
    ["pulumi:template", "tasks-platform"],
  ]);
}

/** A provider reference is `<provider urn>::<provider id>`. */
const providerUrn = (ref: string | undefined): string | undefined => (ref ? ref.slice(0, ref.lastIndexOf("::")) : undefined);

/** Resource snapshots for resource policies (inputs) and stack policies (outputs). */
export function snapshotsOf(run: StackRun): { inputs: ResourceSnapshot[]; outputs: ResourceSnapshot[] } {
  const byUrn = new Map<string, RecordedResource>(run.resources.map((r) => [r.urn, r]));
  const make = (r: RecordedResource, props: Record<string, unknown>): ResourceSnapshot => {
    const provider = byUrn.get(providerUrn(r.provider) ?? "");
    return {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props,
      opts: {
        protect: r.protect,
        ignoreChanges: r.ignoreChanges,
        additionalSecretOutputs: r.additionalSecretOutputs,
        ...(r.parent ? { parent: r.parent } : {}),
      },
      ...(provider ? { provider: { type: provider.type, name: provider.name, urn: provider.urn, props: provider.inputs } } : {}),
      ...(r.parent ? { parent: r.parent } : {}),
      dependencies: r.dependsOn,
    };
  };
  return { inputs: run.resources.map((r) => make(r, r.inputs)), outputs: run.resources.map((r) => make(r, r.state)) };
}

const resourceLabel = (run: StackRun, urn: string | undefined): string => {
  if (!urn) return "(stack)";
  const r = run.resources.find((x) => x.urn === urn);
  return r ? `${r.type}::${r.name}` : urn;
};

export async function evaluatePolicies(run: StackRun, options: EvaluateOptions = {}): Promise<PolicyReport> {
  const configFile = policyConfigFile(run.stack);
  const config = options.config ?? (existsSync(configFile) ? loadPolicyConfig(configFile) : undefined);
  const policies = options.policies ?? allPolicies;
  const { inputs, outputs } = snapshotsOf(run);
  const { violations } = await evaluatePack(
    policies,
    inputs,
    { stackTags: stackTags(), packName: policyPackName, ...(config ? { config } : {}) },
    outputs,
  );
  const index = policyIndex(allPolicies);
  const on = today();
  const byName = new Map(policies.map((p) => [p.name, p]));
  const coveredBy = (v: Violation): Suppression | undefined => {
    const policy = byName.get(v.policy);
    return policy ? activeSuppression(run.stack, policy, v.urn, index, on) : undefined;
  };
  const all = violations.map((v) => ({ ...v, resource: resourceLabel(run, v.urn), by: coveredBy(v) }));
  const reported = all.filter((v) => !v.by).map(({ by: _by, ...v }) => v);
  const file = loadSuppressions(run.stack);
  const suppressions: SuppressionReport = {
    file: file.file,
    active: file.entries
      .filter((e) => entryProblems(e, index, on).length === 0)
      .map((e) => ({ ...e, daysLeft: daysLeft(e.expires, on), suppressed: all.filter((v) => v.by === e).length })),
    suppressed: all.filter((v) => v.by).map(({ by: _by, ...v }) => v),
  };
  const counts = new Map<string, { policy: string; level: string; count: number }>();
  for (const v of reported) {
    const key = `${v.policy}\u0000${v.level}`;
    counts.set(key, { policy: v.policy, level: v.level, count: (counts.get(key)?.count ?? 0) + 1 });
  }
  return {
    stack: run.stack,
    policies: policies.length,
    resources: run.resources.length,
    violations: reported,
    mandatory: reported.filter((v) => v.level === "mandatory").length,
    advisory: reported.filter((v) => v.level === "advisory").length,
    byPolicy: [...counts.values()].sort((a, b) => a.level.localeCompare(b.level) * -1 || a.policy.localeCompare(b.policy)),
    suppressions,
  };
}
