/**
 * Reads what the engine did from its event log (`--event-log`, one JSON engine event per line): the
 * resources it stepped over, the stack outputs (secrets masked, unknowns marked), the policy pack's
 * violations and the change summary.
 */
import { readFileSync } from "node:fs";
import { SECRET_SIG, SIG, UNKNOWN } from "./property-values.js";

/** A stack output value whose value the engine does not know yet (a preview). */
export const UNKNOWN_OUTPUT = "[unknown]";

export interface EngineResource {
  readonly urn: string;
  readonly type: string;
  /** The engine's steps for it, in order: create, same, update, create-replacement, replace, delete-replaced… */
  readonly ops: string[];
}

export interface EngineViolation {
  readonly policy: string;
  /** The resource, or undefined for a stack-wide violation. */
  readonly urn: string | undefined;
  readonly level: string;
  readonly message: string;
  /** The policy could not run on this resource in a preview because a value it reads is unknown. */
  readonly notEvaluable: boolean;
}

export interface EngineRun {
  /** Custom and component resources of the program: the stack and default providers left out. */
  readonly resources: EngineResource[];
  /** Stack outputs; a secret is `{ secret: true }`, an unknown is UNKNOWN_OUTPUT. */
  readonly outputs: Record<string, unknown>;
  readonly violations: EngineViolation[];
  /** resourceChanges of the summary: `{ create: 198 }`, `{ same: 198 }`… */
  readonly changes: Record<string, number>;
  readonly result: string;
}

interface EngineEvent {
  resourcePreEvent?: { metadata: { urn: string; type: string; op: string } };
  resOutputsEvent?: { metadata: { type: string; new?: { outputs?: Record<string, unknown> } } };
  policyEvent?: { resourceUrn?: string; policyName: string; enforcementLevel: string; message: string };
  summaryEvent?: { resourceChanges?: Record<string, number>; result?: string };
}

const isStackUrn = (urn: string | undefined): boolean => !urn || urn.includes("::pulumi:pulumi:Stack::");
// A default provider's name is `default[_<version>]`, with `_<download URL>` for a third-party plugin (pulumiverse).
const isDefaultProvider = (type: string, urn: string): boolean =>
  type.startsWith("pulumi:providers:") && /::default(_[\w.-]+)?(_[\w.:/-]+)?$/.test(urn);

/** Masks secrets and marks unknowns in an output value as the event log renders it. */
export function normalizeOutput(v: unknown): unknown {
  if (v === UNKNOWN) return UNKNOWN_OUTPUT;
  if (Array.isArray(v)) return v.map(normalizeOutput);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SIG] === SECRET_SIG) return { secret: true };
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, normalizeOutput(x)]));
  }
  return v;
}

export function parseEventLog(text: string): EngineRun {
  const resources = new Map<string, EngineResource>();
  const violations: EngineViolation[] = [];
  let outputs: Record<string, unknown> = {};
  let changes: Record<string, number> = {};
  let result = "unknown";
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as EngineEvent;
    const pre = e.resourcePreEvent?.metadata;
    if (pre && !isStackUrn(pre.urn) && !isDefaultProvider(pre.type, pre.urn)) {
      const known = resources.get(pre.urn);
      if (known) known.ops.push(pre.op);
      else resources.set(pre.urn, { urn: pre.urn, type: pre.type, ops: [pre.op] });
    }
    const out = e.resOutputsEvent?.metadata;
    if (out?.type === "pulumi:pulumi:Stack") outputs = normalizeOutput(out.new?.outputs ?? {}) as Record<string, unknown>;
    const p = e.policyEvent;
    if (p) {
      violations.push({
        policy: p.policyName,
        urn: isStackUrn(p.resourceUrn) ? undefined : p.resourceUrn,
        level: p.enforcementLevel,
        message: p.message,
        notEvaluable: /can't run policy '[^']+' from policy pack .* during preview:/.test(p.message),
      });
    }
    if (e.summaryEvent) {
      changes = e.summaryEvent.resourceChanges ?? {};
      result = e.summaryEvent.result ?? result;
    }
  }
  return { resources: [...resources.values()], outputs, violations, changes, result };
}

export const readEventLog = (file: string): EngineRun => parseEventLog(readFileSync(file, "utf8"));
