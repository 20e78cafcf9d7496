import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { exampleValuesIn, isOfflineRun } from "./examples.js";

/**
 * Stack config validation, shared by every stack: each stack's module (azure.ts, local.ts) declares a
 * zod schema whose keys are the top-level config keys of one namespace, and reads it with
 * `readConfig`. Every bad key is reported in ONE error, each with the form it expects:
 *   Invalid stack config: tasks-platform:aks.systemNodeCount: expected an integer 1..10; ...
 */

export const projectNamespace = "tasks-platform";

/** Thrown when the stack config is invalid; a RunError, so Pulumi prints the message without a stack trace. */
export class StackConfigError extends pulumi.RunError {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid stack config: ${problems.join("; ")}`);
    this.name = "StackConfigError";
  }
}

// ---- schema helpers: each one carries the "expected …" text shown for a bad or missing value ----

export const expect = (form: string) => ({ error: `expected ${form}` });

export const nonEmptyString = (form = "a non-empty string") => z.string(expect(form)).trim().min(1, expect(form));

export const integer = (min: number, max: number) => {
  const e = expect(`an integer ${min}..${max}`);
  return z.number(e).int(e).min(min, e).max(max, e);
};

export const boolean = () => z.boolean(expect("true or false"));

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, expect(`one of: ${values.join(", ")}`));

export const pattern = (re: RegExp, form: string) => z.string(expect(form)).regex(re, expect(form));

const ipv4 = String.raw`(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}`;

/** An IPv4 CIDR, optionally with a bound on the prefix length (e.g. a VNet must be /19 or larger). */
export const cidr = (maxPrefix = 32, example = "10.0.0.0/16") => {
  const form =
    maxPrefix < 32 ? `an IPv4 CIDR with a prefix of /${maxPrefix} or shorter, such as ${example}` : `an IPv4 CIDR such as ${example}`;
  return pattern(new RegExp(`^${ipv4}/(3[0-2]|[12]?\\d)$`), form).refine((v) => Number(v.split("/")[1]) <= maxPrefix, expect(form));
};

export const cidrList = (min = 0, example = "203.0.113.0/24") => {
  const form = `a list of ${min > 0 ? "at least " + min + " " : ""}IPv4 CIDRs such as ["${example}"]`;
  return z
    .array(pattern(new RegExp(`^${ipv4}/(3[0-2]|[12]?\\d)$`), `an IPv4 CIDR such as ${example}`), expect(form))
    .min(min, expect(form));
};

export const dnsName = (example = "tasks.example.com") =>
  pattern(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, `a lower-case DNS name such as ${example}`);

export const email = () => pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, "an email address such as ops@example.com");

export const uuid = () =>
  pattern(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a GUID such as 00000000-0000-0000-0000-000000000000");

/** A Kubernetes storage size in Mi or Gi. */
export const storageSize = (example = "5Gi") => pattern(/^[1-9]\d*(Mi|Gi)$/, `a size such as ${example}`);

/** A Prometheus duration (its --storage.tsdb.retention.time). */
export const prometheusDuration = (example = "7d") => pattern(/^[1-9]\d*(h|d|w|y)$/, `a duration such as ${example}`);

/** A share between 0 and 1 as a decimal string; an unquoted YAML number is accepted too. */
export const fraction = (example = "0.1") => {
  const form = `a number from 0 to 1 such as "${example}"`;
  return z.preprocess((v) => (typeof v === "number" ? String(v) : v), pattern(/^(0(\.\d+)?|1(\.0+)?)$/, form));
};

/** A nested config object; unknown keys are reported (they are usually typos). */
export const section = <S extends z.ZodRawShape>(shape: S) => z.strictObject(shape, expect("an object"));

/** Config keys shared by every stack: resource tags and the public domain. */
export const commonShape = {
  /** Team that owns the stack: the `owner` tag on every taggable resource. */
  owner: nonEmptyString("a non-empty team name"),
  /** The `cost-center` tag on every taggable resource. */
  costCenter: nonEmptyString("a non-empty cost center code"),
  /** Public host of the ingress, e.g. tasks.dev.example.com. */
  domain: dnsName(),
  /** Dapr sidecars: the share of requests they trace (the Configuration's tracing.samplingRate). */
  dapr: section({ tracingSamplingRate: fraction() }),
};

/** Who the alerts reach by email (Alertmanager, through the stack's SMTP relay). */
export const emailList = () =>
  z
    .array(email(), expect('a list of at least one email address such as ["oncall@example.com"]'))
    .min(1, expect('a list of at least one email address such as ["oncall@example.com"]'));

export type CommonConfig = z.infer<z.ZodObject<typeof commonShape>>;

/** The tags every taggable resource carries. */
export function standardTags(environment: string, config: Pick<CommonConfig, "owner" | "costCenter">): Record<string, string> {
  return { environment, owner: config.owner, "cost-center": config.costCenter };
}

// ---- reading and validating ----

export interface ReadConfigOptions {
  /** Config namespace. @default "tasks-platform" */
  readonly namespace?: string;
  /** Keys whose value must be a secret (`pulumi config set --secret`). @default [] */
  readonly secretKeys?: readonly string[];
  /** Accept keys of the namespace that the schema does not declare (provider namespaces). @default false */
  readonly allowUnknownKeys?: boolean;
  /**
   * Reject documentation stand-ins (RFC 5737/3849 ranges, example domains, the all-zero GUID; see
   * examples.ts) in every non-secret value, unless the offline tools run the program. @default false
   */
  readonly rejectExampleValues?: boolean;
}

export type ConfigResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problems: string[] };

/** Pulumi hands objects and lists over as JSON strings, scalars as strings; try the JSON reading first. */
function candidates(raw: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(raw);
    return typeof parsed === "string" ? [parsed] : [parsed, raw];
  } catch {
    return [raw];
  }
}

function formatPath(namespace: string, key: string, path: readonly PropertyKey[]): string {
  return `${namespace}:${key}` + path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

function issueProblems(namespace: string, key: string, issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => `${formatPath(namespace, key, [...issue.path, k])}: unknown key`);
    }
    // reportInput is on, so an absent `input` means the key was not set (custom issues carry none).
    const missing = issue.code !== "custom" && issue.input === undefined;
    return [`${formatPath(namespace, key, issue.path)}: ${missing ? "missing, " : ""}${issue.message}`];
  });
}

const isSecretKey = (fullKey: string): boolean | undefined => {
  const fn = (pulumi.runtime as unknown as { isConfigSecret?: (k: string) => boolean }).isConfigSecret;
  return fn?.(fullKey);
};

/** Validates one namespace of the stack config against a schema; never throws. */
export function validateConfig<S extends z.ZodRawShape>(shape: S, options: ReadConfigOptions = {}): ConfigResult<z.infer<z.ZodObject<S>>> {
  const namespace = options.namespace ?? projectNamespace;
  const problems: string[] = [];
  const value: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(shape) as [string, z.ZodType][]) {
    const fullKey = `${namespace}:${key}`;
    const raw = pulumi.runtime.getConfig(fullKey);
    const tries = raw === undefined ? [undefined] : candidates(raw);
    const results = tries.map((t) => schema.safeParse(t, { reportInput: true }));
    const ok = results.find((r) => r.success);
    const secret = options.secretKeys?.includes(key) ?? false;
    if (ok?.success) {
      value[key] = ok.data;
      if (options.rejectExampleValues && !secret && !isOfflineRun()) problems.push(...exampleProblems(fullKey, ok.data));
    } else if (raw === undefined && secret) problems.push(`${fullKey}: missing, set it with pulumi config set --secret ${fullKey} <value>`);
    else problems.push(...issueProblems(namespace, key, results[0]!.error!.issues));
    if (raw !== undefined && secret && isSecretKey(fullKey) === false) {
      problems.push(`${fullKey}: expected a secret value (pulumi config set --secret ${fullKey} <value>)`);
    }
  }
  if (!options.allowUnknownKeys) {
    for (const fullKey of Object.keys(pulumi.runtime.allConfig()).sort()) {
      const [ns, key] = [fullKey.slice(0, fullKey.indexOf(":")), fullKey.slice(fullKey.indexOf(":") + 1)];
      if (ns === namespace && !(key in shape)) problems.push(`${fullKey}: unknown key`);
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, value: value as z.infer<z.ZodObject<S>> };
}

/** One problem per documentation stand-in in a value a real run would use. */
function exampleProblems(fullKey: string, value: unknown): string[] {
  return exampleValuesIn(fullKey, value).map(
    (v) => `${v} is a documentation value: set the real one (the offline plan runs with it and says so; a real run cannot)`,
  );
}

/** Throws one StackConfigError listing the problems of every result, if any. */
export function throwIfInvalid(...results: readonly ConfigResult<unknown>[]): void {
  const problems = results.flatMap((r) => (r.ok ? [] : r.problems));
  if (problems.length) throw new StackConfigError(problems);
}

/** Reads and validates one namespace of the stack config; throws a StackConfigError naming every bad key. */
export function readConfig<S extends z.ZodRawShape>(shape: S, options: ReadConfigOptions = {}): z.infer<z.ZodObject<S>> {
  const result = validateConfig(shape, options);
  throwIfInvalid(result);
  return (result as { value: z.infer<z.ZodObject<S>> }).value;
}
