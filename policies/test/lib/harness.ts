/**
 * Runs policies in tests the way the analyzer does (see src/evaluate/invoke.ts): props behind the
 * SDK's unknown-checking proxy, stack tags, notApplicable and getConfig on the args.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { setSuppressionDirectory } from "../../src/lib/suppressions.js";
import {
  runResourcePolicy,
  runStackPolicy,
  type EvaluationContext,
  type PackConfig,
  type ResourceSnapshot,
  type Violation,
} from "../../src/evaluate/invoke.js";
import type { AnyPolicy } from "../../src/index.js";
import { edit, type Json, type JsonObject } from "./json.js";

export const project = "tasks-platform";
export type StackName = "dev" | "prod" | "local" | "staging";

/** The URN a resource gets in a stack, optionally under parents given as types. */
export function urnOf(stack: string, type: string, name: string, parentTypes: readonly string[] = []): string {
  return `urn:pulumi:${stack}::${project}::${[...parentTypes, type].join("$")}::${name}`;
}

/** The stack tags the CLI sends (configureStack), plus any extra. */
export function stackTagsFor(extra: Record<string, string> = {}): ReadonlyMap<string, string> {
  return new Map(Object.entries({ "pulumi:project": project, "pulumi:runtime": "nodejs", ...extra }));
}

/** A resource of a fixture: type, name, props and, optionally, parents (types) and dependencies (names). */
export interface FixtureResource {
  readonly type: string;
  readonly name: string;
  readonly props: JsonObject;
  readonly parentTypes?: readonly string[];
  readonly dependsOn?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
  readonly provider?: { readonly type: string; readonly name: string; readonly props: JsonObject };
}

export interface RunOptions {
  readonly stack?: StackName;
  readonly stackTags?: Record<string, string>;
  readonly config?: PackConfig;
}

function snapshot(r: FixtureResource, stack: string, all: readonly FixtureResource[] = []): ResourceSnapshot {
  const urn = (x: FixtureResource) => urnOf(stack, x.type, x.name, x.parentTypes);
  const byName = (n: string) => {
    const found = all.find((x) => x.name === n);
    if (!found) throw new Error(`fixture dependency "${n}" not found`);
    return urn(found);
  };
  return {
    type: r.type,
    name: r.name,
    urn: urn(r),
    props: r.props,
    dependencies: (r.dependsOn ?? []).map(byName),
    propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies ?? {}).map(([k, ns]) => [k, ns.map(byName)])),
    ...(r.provider ? { provider: { ...r.provider, urn: urnOf(stack, r.provider.type, r.provider.name) } } : {}),
  };
}

function context(o: RunOptions): EvaluationContext {
  return { stackTags: stackTagsFor(o.stackTags), ...(o.config ? { config: o.config } : {}) };
}

export interface Result {
  readonly messages: string[];
  readonly violations: Violation[];
  readonly notApplicable: boolean;
}

export async function runResource(policy: ResourceValidationPolicy, r: FixtureResource, o: RunOptions = {}): Promise<Result> {
  const out = await runResourcePolicy(policy, snapshot(r, o.stack ?? "dev"), context(o));
  return { messages: out.violations.map((v) => v.message), violations: out.violations, notApplicable: out.notApplicable.length > 0 };
}

export async function runStack(policy: StackValidationPolicy, resources: readonly FixtureResource[], o: RunOptions = {}): Promise<Result> {
  const stack = o.stack ?? "dev";
  const out = await runStackPolicy(
    policy,
    resources.map((r) => snapshot(r, stack, resources)),
    context(o),
  );
  return { messages: out.violations.map((v) => v.message), violations: out.violations, notApplicable: out.notApplicable.length > 0 };
}

/** One numbered fixture of a policy: the resource(s), the stack, and the exact violations expected. */
export interface Case extends RunOptions {
  readonly n: number;
  readonly title: string;
  /** A resource for resource policies; the stack's resources for stack policies. */
  readonly resource?: FixtureResource;
  readonly resources?: readonly FixtureResource[];
  /** Exact messages, in order; [] for a passing case. */
  readonly expect?: readonly string[];
  /** The policy must declare itself not applicable (and report nothing). */
  readonly notApplicable?: boolean;
  /** The stack's suppression file (YAML) while this case runs; the pack's own files otherwise. */
  readonly suppressions?: string;
}

export interface PolicyCases {
  readonly policy: AnyPolicy;
  readonly cases: readonly Case[];
}

export const casesFor = (policy: AnyPolicy, cases: readonly Case[]): PolicyCases => ({ policy, cases });

export function isStack(p: AnyPolicy): p is StackValidationPolicy {
  return "validateStack" in p;
}

export async function runCase(policy: AnyPolicy, c: Case): Promise<Result> {
  if (c.suppressions === undefined) return runCaseAsIs(policy, c);
  const dir = mkdtempSync(path.join(os.tmpdir(), "suppressions-"));
  writeFileSync(path.join(dir, `${c.stack ?? "dev"}.yaml`), c.suppressions);
  setSuppressionDirectory(dir);
  try {
    return await runCaseAsIs(policy, c);
  } finally {
    setSuppressionDirectory();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runCaseAsIs(policy: AnyPolicy, c: Case): Promise<Result> {
  if (isStack(policy)) {
    if (!c.resources) throw new Error(`${policy.name} #${c.n}: a stack policy case needs resources`);
    return runStack(policy, c.resources, c);
  }
  if (!c.resource) throw new Error(`${policy.name} #${c.n}: a resource policy case needs a resource`);
  return runResource(policy, c.resource, c);
}

/** A copy of a fixture resource with its props edited (`[path, value]` sets, `[path]` removes). */
export function changed(r: FixtureResource, ...edits: ([string, Json] | [string])[]): FixtureResource {
  return { ...r, props: edit(r.props, ...edits) };
}
