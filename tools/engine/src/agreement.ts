/**
 * Does the real engine agree with the mocked runs? Resources by URN, stack outputs leaf by leaf, policy
 * violations by (policy, resource, level, message). In a preview the engine cannot know what providers
 * compute on create: such outputs are `[unknown]` and a policy that reads them says it cannot run
 * ("not evaluable") — counted, never silently matched. After an up every value is known, so nothing
 * may be unknown. Every disagreement names the resource or output.
 */
import { deepEqual } from "@tasks/stacks/offline/property-diff";
import { UNKNOWN_OUTPUT, type EngineRun, type EngineViolation } from "./event-log.js";
import type { MockedReference, MockedViolation } from "./reference.js";

export type Phase = "preview" | "after up";

export interface Agreement {
  readonly stack: string;
  readonly phase: Phase;
  readonly resources: { readonly engine: number; readonly mocked: number; readonly agree: number };
  readonly outputs: { readonly leaves: number; readonly agree: number; readonly unknown: number };
  readonly policies: { readonly engine: number; readonly mocked: number; readonly agree: number; readonly notEvaluable: number };
  /** One line per disagreement, naming the resource, output or policy. */
  readonly disagreements: string[];
}

/** Leaves of a JSON value by path (`a.b[0]`); `{ secret: true }` and `[unknown]` are leaves. */
export function leaves(v: unknown, path = ""): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const isSecret = v !== null && typeof v === "object" && !Array.isArray(v) && (v as { secret?: unknown }).secret === true;
  if (Array.isArray(v) && v.length > 0) v.forEach((x, i) => leaves(x, `${path}[${i}]`).forEach((y, k) => out.set(k, y)));
  else if (v !== null && typeof v === "object" && !isSecret && Object.keys(v).length > 0) {
    for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k).forEach((y, p) => out.set(p, y));
  } else out.set(path, v);
  return out;
}

/** The engine value at a mocked leaf's path, or UNKNOWN_OUTPUT when it or an enclosing value is unknown. */
function engineValueAt(engine: Map<string, unknown>, path: string): { found: boolean; value: unknown } {
  if (engine.has(path)) return { found: true, value: engine.get(path) };
  for (const [p, v] of engine)
    if (v === UNKNOWN_OUTPUT && (path.startsWith(`${p}.`) || path.startsWith(`${p}[`))) return { found: true, value: v };
  return { found: false, value: undefined };
}

function compareOutputs(engine: EngineRun, mocked: MockedReference, phase: Phase, out: string[]): Agreement["outputs"] {
  const e = leaves(engine.outputs);
  const m = leaves(mocked.outputs);
  let agree = 0;
  let unknown = 0;
  for (const [path, want] of m) {
    const got = engineValueAt(e, path);
    if (got.found && got.value === UNKNOWN_OUTPUT && phase === "preview") unknown++;
    else if (got.found && deepEqual(got.value, want)) agree++;
    else out.push(`output ${path}: engine ${got.found ? JSON.stringify(got.value) : "has none"}, mocked ${JSON.stringify(want)}`);
  }
  for (const path of e.keys()) {
    if (!m.has(path) && ![...m.keys()].some((p) => p.startsWith(`${path}.`) || p.startsWith(`${path}[`))) {
      out.push(`output ${path}: engine ${JSON.stringify(e.get(path))}, mocked has none`);
    }
  }
  return { leaves: m.size, agree, unknown };
}

const where = (urn: string | undefined): string => urn ?? "(stack)";
const sameViolation = (e: EngineViolation, m: MockedViolation): boolean =>
  e.policy === m.policy && e.urn === m.urn && e.level === m.level && e.message.includes(m.message);

function comparePolicies(engine: EngineRun, mocked: MockedReference, phase: Phase, out: string[]): Agreement["policies"] {
  const real = engine.violations.filter((v) => !v.notEvaluable);
  const notEvaluable = engine.violations.filter((v) => v.notEvaluable);
  if (phase === "after up")
    for (const v of notEvaluable) out.push(`policy ${v.policy} on ${where(v.urn)}: could not run after an up (a value is unknown)`);
  const unmatched = [...real];
  let agree = 0;
  for (const m of mocked.violations) {
    const i = unmatched.findIndex((e) => sameViolation(e, m));
    if (i >= 0) {
      unmatched.splice(i, 1);
      agree++;
    } else if (!(phase === "preview" && notEvaluable.some((e) => e.policy === m.policy && e.urn === m.urn))) {
      out.push(`policy ${m.policy} on ${where(m.urn)}: mocked run reports ${m.level} "${m.message}", the engine does not`);
    }
  }
  for (const e of unmatched)
    out.push(
      `policy ${e.policy} on ${where(e.urn)}: the engine reports ${e.level} "${e.message.trim().split("\n").pop()}", the mocked run does not`,
    );
  return { engine: real.length, mocked: mocked.violations.length, agree, notEvaluable: notEvaluable.length };
}

export function compareRuns(engine: EngineRun, mocked: MockedReference, phase: Phase): Agreement {
  const disagreements: string[] = [];
  const engineUrns = new Set(engine.resources.map((r) => r.urn));
  for (const r of engine.resources) if (!mocked.resources.has(r.urn)) disagreements.push(`resource ${r.urn}: in the engine run only`);
  for (const urn of mocked.resources.keys()) if (!engineUrns.has(urn)) disagreements.push(`resource ${urn}: in the mocked run only`);
  const agreeResources = [...mocked.resources.keys()].filter((u) => engineUrns.has(u)).length;
  const outputs = compareOutputs(engine, mocked, phase, disagreements);
  const policies = comparePolicies(engine, mocked, phase, disagreements);
  return {
    stack: mocked.stack,
    phase,
    resources: { engine: engine.resources.length, mocked: mocked.resources.size, agree: agreeResources },
    outputs,
    policies,
    disagreements,
  };
}

export function formatAgreement(a: Agreement): string {
  const lines = [
    `${a.stack} (${a.phase}): resources ${a.resources.agree}/${a.resources.mocked} agree (engine ${a.resources.engine})` +
      `; outputs ${a.outputs.agree}/${a.outputs.leaves} agree${a.outputs.unknown ? `, ${a.outputs.unknown} unknown until create` : ""}` +
      `; policy violations ${a.policies.agree}/${a.policies.mocked} agree (engine ${a.policies.engine})` +
      `${a.policies.notEvaluable ? `, ${a.policies.notEvaluable} checks not evaluable in preview` : ""}`,
    ...a.disagreements.map((d) => `  DISAGREES: ${d}`),
  ];
  return lines.join("\n");
}
