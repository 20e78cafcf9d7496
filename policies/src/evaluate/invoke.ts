/**
 * Runs policies the way @pulumi/policy's analyzer server does (server.js in 1.21), without gRPC:
 * props wrapped in the SDK's unknown-checking proxy, `stackTags`, `getConfig` and `notApplicable`
 * on the args, enforcement levels resolved from the pack config (disabled skipped, remediate counted
 * as mandatory), an unknown value turned into an advisory "can't run during preview" diagnostic.
 * The tests and the offline runner (@tasks/plan policy-cli.ts) both call these functions.
 */
import {
  UnknownValueError,
  unknownCheckingProxy,
  type EnforcementLevel,
  type PolicyConfigSchema,
  type PolicyProviderResource,
  type PolicyResource,
  type PolicyResourceOptions,
  type ReportViolation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
} from "@pulumi/policy";
import type { AnyPolicy } from "../index.js";

export type Level = "mandatory" | "advisory";

/** One policy violation, as the CLI would print it. */
export interface Violation {
  readonly policy: string;
  readonly level: Level;
  readonly severity: string | undefined;
  readonly message: string;
  /** The resource the violation is about; undefined for a stack-wide violation. */
  readonly urn: string | undefined;
}

export interface NotApplicable {
  readonly policy: string;
  readonly urn: string | undefined;
  readonly reason: string;
}

/** The `--policy-pack-config` format: per policy, a level or an object of level and properties. */
export type PackConfig = Record<string, EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)>;

export interface EvaluationContext {
  readonly stackTags: ReadonlyMap<string, string>;
  readonly config?: PackConfig;
  readonly packName?: string;
  readonly packVersion?: string;
  /** The pack's default level for policies that set none. @default "advisory" */
  readonly packEnforcementLevel?: EnforcementLevel;
}

/** A resource as the engine hands it to a policy: inputs for resource policies, outputs for stack policies. */
export interface ResourceSnapshot {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly props: Record<string, unknown>;
  readonly opts?: Partial<PolicyResourceOptions>;
  readonly provider?: { readonly type: string; readonly name: string; readonly urn: string; readonly props: Record<string, unknown> };
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface Outcome {
  readonly violations: Violation[];
  readonly notApplicable: NotApplicable[];
}

class NotApplicableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicableError(reason ?? "");
};

export function isStackPolicy(p: AnyPolicy): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/** The level a policy runs at under `config`, like server.js; undefined when disabled. */
export function effectiveLevel(policy: AnyPolicy, ctx: EvaluationContext): Level | undefined {
  const entry = ctx.config?.[policy.name];
  const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
  const level = configured ?? policy.enforcementLevel ?? ctx.packEnforcementLevel ?? "advisory";
  if (level === "disabled") return undefined;
  return level === "remediate" ? "mandatory" : level;
}

/** `getConfig()` for a policy: its config properties over the defaults of its config schema. */
export function configFor(policy: AnyPolicy, config: PackConfig | undefined): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  const schema: PolicyConfigSchema | undefined = policy.configSchema;
  for (const [k, v] of Object.entries(schema?.properties ?? {})) {
    if (v && typeof v === "object" && "default" in v) defaults[k] = (v as { default: unknown }).default;
  }
  const entry = config?.[policy.name];
  const { enforcementLevel: _level, ...props } = typeof entry === "object" && entry !== null ? entry : {};
  return { ...defaults, ...props };
}

/** The signature key and value of a secret in Pulumi's RPC encoding (@pulumi/pulumi runtime/rpc.js). */
const specialSigKey = "4dabf18193072939515e22adb298388d";
const specialSecretSig = "1b47061264138c4ac30d75fd1eb44270";

/**
 * Plain-data copy of recorded properties (assets and other class instances become plain objects).
 * Secrets are unwrapped to their values, as the analyzer's deserializeProperties(props, false) does
 * for Analyze and AnalyzeStack (@pulumi/policy deserialize.js).
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === "object" && (value as Record<string, unknown>)[specialSigKey] === specialSecretSig)
    return plain((value as Record<string, unknown>).value);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = plain(v);
    return out;
  }
  return value;
}

const proxied = (props: Record<string, unknown>): Record<string, unknown> =>
  unknownCheckingProxy(plain(props) as Record<string, unknown>) as Record<string, unknown>;

function options(o: Partial<PolicyResourceOptions> | undefined): PolicyResourceOptions {
  return {
    protect: o?.protect ?? false,
    ignoreChanges: o?.ignoreChanges ?? [],
    aliases: o?.aliases ?? [],
    customTimeouts: o?.customTimeouts ?? { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: o?.additionalSecretOutputs ?? [],
    ...(o?.parent ? { parent: o.parent } : {}),
    ...(o?.deleteBeforeReplace !== undefined ? { deleteBeforeReplace: o.deleteBeforeReplace } : {}),
  };
}

function providerOf(r: ResourceSnapshot): PolicyProviderResource | undefined {
  return r.provider ? { type: r.provider.type, name: r.provider.name, urn: r.provider.urn, props: proxied(r.provider.props) } : undefined;
}

type ResourceClass = { new (...args: never[]): unknown; __pulumiType?: string };

const typeOf = (resourceClass: unknown): string | undefined => (resourceClass as ResourceClass).__pulumiType;

function cannotRun(policy: AnyPolicy, ctx: EvaluationContext, e: UnknownValueError, urn: string | undefined): Violation {
  const pack = `'${ctx.packName ?? "tasks-platform"}@v${ctx.packVersion ?? "0.1.0"}'`;
  return {
    policy: policy.name,
    level: "advisory",
    severity: policy.severity,
    message: `can't run policy '${policy.name}' from policy pack ${pack} during preview: ${e.message}`,
    urn,
  };
}

/** Runs one resource policy on one resource. */
export async function runResourcePolicy(
  policy: ResourceValidationPolicy,
  resource: ResourceSnapshot,
  ctx: EvaluationContext,
): Promise<Outcome> {
  const violations: Violation[] = [];
  const notApplicable: NotApplicable[] = [];
  const level = effectiveLevel(policy, ctx);
  if (!level || !policy.validateResource) return { violations, notApplicable };
  const validations = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
  const report: ReportViolation = (message) => {
    violations.push({ policy: policy.name, level, severity: policy.severity, message, urn: resource.urn });
  };
  for (const validation of validations) {
    const props = proxied(resource.props);
    const provider = providerOf(resource);
    const args: ResourceValidationArgs = {
      type: resource.type,
      props,
      urn: resource.urn,
      name: resource.name,
      opts: options(resource.opts),
      stackTags: ctx.stackTags,
      isType: (cls) => typeOf(cls) === resource.type,
      asType: ((cls: unknown) => (typeOf(cls) === resource.type ? props : undefined)) as ResourceValidationArgs["asType"],
      getConfig: <T extends object>() => configFor(policy, ctx.config) as T,
      notApplicable: throwNotApplicable,
      ...(provider ? { provider } : {}),
    };
    try {
      await validation(args, report);
    } catch (e) {
      if (e instanceof UnknownValueError) violations.push(cannotRun(policy, ctx, e, resource.urn));
      else if (e instanceof NotApplicableError) notApplicable.push({ policy: policy.name, urn: resource.urn, reason: e.reason });
      else
        throw new Error(
          `Error validating resource ${resource.urn} with policy '${policy.name}': ${e instanceof Error ? e.stack : String(e)}`,
          { cause: e },
        );
    }
  }
  return { violations, notApplicable };
}

/** Builds the PolicyResource graph a stack policy receives (parents and dependencies linked). */
export function policyResources(resources: readonly ResourceSnapshot[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const list = resources.map((r) => {
    const props = proxied(r.props);
    const provider = providerOf(r);
    const pr: PolicyResource = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: options(r.opts),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => typeOf(cls) === r.type,
      asType: ((cls: unknown) => (typeOf(cls) === r.type ? props : undefined)) as PolicyResource["asType"],
      ...(provider ? { provider } : {}),
    };
    byUrn.set(r.urn, pr);
    return pr;
  });
  resources.forEach((r, i) => {
    const pr = list[i] as PolicyResource;
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) pr.parent = parent;
    pr.dependencies = (r.dependencies ?? []).map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
    for (const [k, urns] of Object.entries(r.propertyDependencies ?? {})) {
      pr.propertyDependencies[k] = urns.map((u) => byUrn.get(u)).filter((d): d is PolicyResource => !!d);
    }
  });
  return list;
}

/** Runs one stack policy over a stack's resources. */
export async function runStackPolicy(
  policy: StackValidationPolicy,
  resources: readonly ResourceSnapshot[],
  ctx: EvaluationContext,
): Promise<Outcome> {
  const violations: Violation[] = [];
  const notApplicable: NotApplicable[] = [];
  const level = effectiveLevel(policy, ctx);
  if (!level) return { violations, notApplicable };
  const report: ReportViolation = (message, urn) => {
    violations.push({ policy: policy.name, level, severity: policy.severity, message, urn });
  };
  const args: StackValidationArgs = {
    resources: policyResources(resources),
    stackTags: ctx.stackTags,
    getConfig: <T extends object>() => configFor(policy, ctx.config) as T,
    notApplicable: throwNotApplicable,
  };
  try {
    await policy.validateStack(args, report);
  } catch (e) {
    if (e instanceof UnknownValueError) violations.push(cannotRun(policy, ctx, e, undefined));
    else if (e instanceof NotApplicableError) notApplicable.push({ policy: policy.name, urn: undefined, reason: e.reason });
    else throw new Error(`Error validating stack with policy '${policy.name}': ${e instanceof Error ? e.stack : String(e)}`, { cause: e });
  }
  return { violations, notApplicable };
}

/**
 * Evaluates a pack: every resource policy on every resource's inputs, then every stack policy on the
 * resources' outputs (`stackResources`, defaulting to the same snapshots).
 */
export async function evaluatePack(
  policies: readonly AnyPolicy[],
  resources: readonly ResourceSnapshot[],
  ctx: EvaluationContext,
  stackResources: readonly ResourceSnapshot[] = resources,
): Promise<Outcome> {
  const violations: Violation[] = [];
  const notApplicable: NotApplicable[] = [];
  for (const policy of policies) {
    const outcomes = isStackPolicy(policy)
      ? [await runStackPolicy(policy, stackResources, ctx)]
      : await Promise.all(resources.map((r) => runResourcePolicy(policy, r, ctx)));
    for (const o of outcomes) {
      violations.push(...o.violations);
      notApplicable.push(...o.notApplicable);
    }
  }
  return { violations, notApplicable };
}
