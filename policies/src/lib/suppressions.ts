/**
 * Suppressions: reviewed exceptions to the pack, one YAML file per stack (policies/suppressions/<stack>.yaml),
 * each naming the policy, the resources (a URN pattern), why, who owns it and until when. A violation
 * that an active suppression covers is not reported. The same matching runs inside the real pack
 * (`withSuppressions`, pack.ts) and in the offline runner (evaluate/run.ts), which also lists the active
 * suppressions with their days left. The `suppression-valid` policy reports expired and malformed
 * entries, and entries naming a policy marked unsuppressible (the security-critical ones), as violations.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { ReportViolation, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { parse } from "yaml";
import { parseUrn } from "./environment.js";

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export interface Suppression {
  readonly policy: string;
  /** A URN, where `*` stands for any run of characters; `(stack)` for a violation about the stack itself. */
  readonly resource: string;
  readonly reason: string;
  readonly owner: string;
  /** The last day it applies, `YYYY-MM-DD` (UTC). */
  readonly expires: string;
}

export interface SuppressionFile {
  readonly stack: string;
  /** The file as messages name it: `policies/suppressions/<stack>.yaml`. */
  readonly file: string;
  readonly entries: readonly Suppression[];
  /** Problems that make the whole file unreadable. */
  readonly problems: readonly string[];
}

/** The longest a suppression may run: an exception is reviewed at least once a year. */
export const maxSuppressionDays = 366;

/** Tag of the policies no suppression may silence (pass `suppressible: false` to the policy definition). */
export const unsuppressibleTag = "unsuppressible";

const packDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const defaultDirectory = path.join(packDir, "suppressions");
let directory = defaultDirectory;
const cache = new Map<string, SuppressionFile>();

/** Reads suppression files from another directory (tests); no argument restores policies/suppressions. */
export function setSuppressionDirectory(dir?: string): void {
  directory = dir ?? defaultDirectory;
  cache.clear();
}

export const suppressionFileOf = (stack: string): string => path.join(directory, `${stack}.yaml`);

const fields = ["policy", "resource", "reason", "owner", "expires"] as const;

/** The stack's suppressions; a stack without a file has none. */
export function loadSuppressions(stack: string): SuppressionFile {
  const file = suppressionFileOf(stack);
  const cached = cache.get(file);
  if (cached) return cached;
  // Repo-relative for the pack's own files; another directory (tests) shows the file name only.
  const shown = directory === defaultDirectory ? `policies/suppressions/${stack}.yaml` : path.basename(file);
  let result: SuppressionFile = { stack, file: shown, entries: [], problems: [] };
  if (existsSync(file)) {
    try {
      const doc: unknown = parse(readFileSync(file, "utf8"));
      const list = doc ?? [];
      if (!Array.isArray(list)) {
        result = { ...result, problems: [`${shown}: expected a list of suppressions`] };
      } else {
        const entries = list.map((raw: unknown) => {
          const o = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
          return Object.fromEntries(fields.map((f) => [f, o[f] === undefined ? "" : String(o[f])])) as unknown as Suppression;
        });
        result = { ...result, entries };
      }
    } catch (e) {
      result = { ...result, problems: [`${shown}: not valid YAML (${(e as Error).message.split("\n")[0]})`] };
    }
  }
  cache.set(file, result);
  return result;
}

/** Today as `YYYY-MM-DD` in UTC. */
export const today = (now = new Date()): string => now.toISOString().slice(0, 10);

const dayMs = 86_400_000;

/** Days from `from` to the end of `expires` (0: it ends today; negative: expired). */
export function daysLeft(expires: string, from = today()): number {
  return Math.round((Date.parse(`${expires}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);
}

const isDate = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && today(new Date(`${s}T00:00:00Z`)) === s;

export const isSuppressible = (p: { readonly tags?: readonly string[] }): boolean => !(p.tags ?? []).includes(unsuppressibleTag);

/** What the policies are: name → suppressible. */
export type PolicyIndex = ReadonlyMap<string, boolean>;

/** The problems of one entry; [] when it is in force. */
export function entryProblems(e: Suppression, policies: PolicyIndex, on = today()): string[] {
  const missing = fields.filter((f) => e[f].trim() === "");
  if (missing.length > 0) return [`sets no ${missing.join(", ")}`];
  const problems: string[] = [];
  const suppressible = policies.get(e.policy);
  if (suppressible === undefined) problems.push(`names no policy of the pack ("${e.policy}")`);
  else if (!suppressible) problems.push(`names "${e.policy}", a security-critical policy that cannot be suppressed; fix the resource`);
  if (!isDate(e.expires)) problems.push(`expires "${e.expires}" is not a date (YYYY-MM-DD)`);
  else {
    const left = daysLeft(e.expires, on);
    if (left < 0) problems.push(`expired on ${e.expires}; fix the resource, or renew it with a new review`);
    else if (left > maxSuppressionDays)
      problems.push(`expires ${e.expires}, more than ${maxSuppressionDays} days ahead; review exceptions at least yearly`);
  }
  return problems;
}

const patternCache = new Map<string, RegExp>();

/** Whether a URN pattern (`*` = any characters) covers a violation's resource (undefined: the stack itself). */
export function urnMatches(pattern: string, urn: string | undefined): boolean {
  if (urn === undefined) return pattern === "(stack)";
  let re = patternCache.get(pattern);
  if (!re) {
    re = new RegExp(
      `^${pattern
        .split("*")
        .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join(".*")}$`,
    );
    patternCache.set(pattern, re);
  }
  return re.test(urn);
}

/** The entry in force that covers a violation of `policy` about `urn` in `stack`, if any. */
export function activeSuppression(
  stack: string,
  policy: { readonly name: string; readonly tags?: readonly string[] },
  urn: string | undefined,
  policies: PolicyIndex,
  on = today(),
): Suppression | undefined {
  if (!isSuppressible(policy)) return undefined;
  return loadSuppressions(stack).entries.find(
    (e) => e.policy === policy.name && urnMatches(e.resource, urn) && entryProblems(e, policies, on).length === 0,
  );
}

export const policyIndex = (list: readonly AnyPolicy[]): PolicyIndex => new Map(list.map((p) => [p.name, isSuppressible(p)]));

let registered: PolicyIndex = new Map();

/** The pack's policies, registered by src/index.ts once it has listed them (the `suppression-valid` policy reads them). */
export function registerPolicies(list: readonly AnyPolicy[]): void {
  registered = policyIndex(list);
}

export const registeredPolicies = (): PolicyIndex => registered;

const stackOfUrn = (urn: string | undefined): string | undefined => (urn ? parseUrn(urn)?.stack : undefined);

/**
 * The policy as the real pack runs it: a violation covered by an active suppression of the stack
 * (taken from the resources' URNs) is not reported.
 */
export function withSuppressions<P extends AnyPolicy>(policy: P, index: () => PolicyIndex = registeredPolicies): P {
  if (!isSuppressible(policy)) return policy;
  const filter =
    (report: ReportViolation, stack: string | undefined, fallbackUrn?: string): ReportViolation =>
    (message, urn) => {
      const about = urn ?? fallbackUrn;
      const s = stack ?? stackOfUrn(about);
      if (s && activeSuppression(s, policy, about, index())) return;
      report(message, urn);
    };
  if ("validateStack" in policy) {
    const validate = policy.validateStack;
    return {
      ...policy,
      validateStack: (args, report) => validate(args, filter(report, args.resources.map((r) => stackOfUrn(r.urn)).find(Boolean))),
    };
  }
  const given = policy.validateResource;
  const validations = Array.isArray(given) ? given : given ? [given] : [];
  return {
    ...policy,
    validateResource: validations.map((v) => (args, report) => v(args, filter(report, stackOfUrn(args.urn), args.urn))),
  };
}
