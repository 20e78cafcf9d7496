import { isSecretValue, sensitiveKeyPattern, type PlanResource, type PlanSnapshot } from "./plan-diff-model.js";

/** A leaf value as shown in the diff: JSON text, or masked. */
export type ShownValue = { readonly masked: true } | { readonly masked: false; readonly text: string };

export interface PropertyChange {
  /** Dotted path, arrays as `[i]`: `spec.template.spec.containers[0].image`. */
  readonly path: string;
  readonly kind: "added" | "removed" | "changed";
  readonly before?: ShownValue;
  readonly after?: ShownValue;
}

export interface ResourceChange {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly changes: PropertyChange[];
}

export interface OutputChange {
  readonly name: string;
  readonly kind: "added" | "removed" | "changed";
  readonly before?: ShownValue;
  readonly after?: ShownValue;
}

export interface PlanDiff {
  readonly added: PlanResource[];
  readonly removed: PlanResource[];
  readonly changed: ResourceChange[];
  readonly unchanged: number;
  readonly outputs: OutputChange[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

interface Leaf {
  readonly value: unknown;
  /** The value is a secret, or sits under a key that names a secret. */
  readonly sensitive: boolean;
}

const joinPath = (base: string, key: string): string => (base ? `${base}.${key}` : key);

/** Flattens a value into leaves keyed by dotted path; nested empty objects and arrays are leaves too. */
export function flatten(value: unknown, base = "", sensitive = false, out = new Map<string, Leaf>()): Map<string, Leaf> {
  if (isSecretValue(value)) {
    out.set(base, { value, sensitive: true });
  } else if (Array.isArray(value) && value.length > 0) {
    value.forEach((v, i) => flatten(v, `${base}[${i}]`, sensitive, out));
  } else if (isRecord(value) && Object.keys(value).length > 0) {
    // Name/value pairs (container env, Dapr component metadata) name the secret in `name`.
    const namedSecret = typeof value.name === "string" && sensitiveKeyPattern.test(value.name);
    for (const [k, v] of Object.entries(value)) {
      flatten(v, joinPath(base, k), sensitive || sensitiveKeyPattern.test(k) || (namedSecret && k === "value"), out);
    }
  } else if (base !== "") {
    out.set(base, { value, sensitive });
  }
  return out;
}

function show(leaf: Leaf): ShownValue {
  if (leaf.sensitive) return { masked: true };
  return { masked: false, text: leaf.value === undefined ? "undefined" : JSON.stringify(leaf.value) };
}

/** Property-level differences between two values, sorted by path. */
export function diffValues(before: unknown, after: unknown): PropertyChange[] {
  const a = flatten(before);
  const b = flatten(after);
  const changes: PropertyChange[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path);
    const y = b.get(path);
    if (x && !y) changes.push({ path, kind: "removed", before: show(x) });
    else if (!x && y) changes.push({ path, kind: "added", after: show(y) });
    else if (x && y && (JSON.stringify(x.value) !== JSON.stringify(y.value) || x.sensitive !== y.sensitive)) {
      // A masked side stays masked even when only the other side is sensitive.
      const sensitive = x.sensitive || y.sensitive;
      changes.push({ path, kind: "changed", before: show({ ...x, sensitive }), after: show({ ...y, sensitive }) });
    }
  }
  return changes.sort((p, q) => (p.path < q.path ? -1 : p.path > q.path ? 1 : 0));
}

const byUrn = (p: { urn: string }, q: { urn: string }): number => (p.urn < q.urn ? -1 : p.urn > q.urn ? 1 : 0);

/**
 * Resources added, removed and changed between two plans, keyed by URN. A secret whose value the
 * plan carries shows as changed when the value changed, never with the values; `npm run plan --json`
 * masks secrets before they reach this diff, so there every secret compares equal to every other.
 */
export function diffPlans(base: PlanSnapshot, head: PlanSnapshot): PlanDiff {
  const added: PlanResource[] = [];
  const removed: PlanResource[] = [];
  const changed: ResourceChange[] = [];
  let unchanged = 0;
  for (const [urn, r] of head.resources) if (!base.resources.has(urn)) added.push(r);
  for (const [urn, r] of base.resources) {
    const next = head.resources.get(urn);
    if (!next) {
      removed.push(r);
      continue;
    }
    const changes = diffValues(r.props, next.props);
    if (changes.length > 0) changed.push({ urn, type: next.type, name: next.name, changes });
    else unchanged++;
  }
  const outputs: OutputChange[] = [];
  for (const name of [...new Set([...Object.keys(base.outputs), ...Object.keys(head.outputs)])].sort()) {
    const inBase = name in base.outputs;
    const inHead = name in head.outputs;
    const mask = sensitiveKeyPattern.test(name);
    const shown = (v: unknown): ShownValue =>
      mask || containsSecret(v) ? { masked: true } : { masked: false, text: JSON.stringify(v) ?? "undefined" };
    if (inBase && !inHead) outputs.push({ name, kind: "removed", before: shown(base.outputs[name]) });
    else if (!inBase && inHead) outputs.push({ name, kind: "added", after: shown(head.outputs[name]) });
    else if (JSON.stringify(base.outputs[name]) !== JSON.stringify(head.outputs[name])) {
      outputs.push({ name, kind: "changed", before: shown(base.outputs[name]), after: shown(head.outputs[name]) });
    }
  }
  return { added: added.sort(byUrn), removed: removed.sort(byUrn), changed: changed.sort(byUrn), unchanged, outputs };
}

function containsSecret(v: unknown): boolean {
  if (isSecretValue(v)) return true;
  if (Array.isArray(v)) return v.some(containsSecret);
  if (isRecord(v)) return Object.entries(v).some(([k, x]) => sensitiveKeyPattern.test(k) || containsSecret(x));
  return false;
}
