/**
 * Which properties of a resource changed between two input bags, as paths such as
 * `networkProfile.serviceCidr` or `spec.template.spec.containers[0].image`. Plain JSON-like values only:
 * callers unwrap Pulumi secrets first. The engine's mock providers diff with it, and so can any check
 * that asks "does this change replace the resource?" (see replacements.ts).
 */

/** One step of a property path: an object key or an array index. */
export type PathStep = string | number;

/** What happened at a path: a value appeared, disappeared or changed. */
export type ChangeKind = "add" | "delete" | "update";

export interface PropertyChange {
  readonly path: readonly PathStep[];
  readonly kind: ChangeKind;
  readonly old: unknown;
  readonly new: unknown;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Deep equality of JSON-like values; `undefined` members count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

/**
 * The leaf-most changes between `olds` and `news`: objects are compared key by key and arrays of equal
 * length element by element; anything else that differs is one change at its own path.
 */
export function propertyChanges(olds: unknown, news: unknown, path: readonly PathStep[] = []): PropertyChange[] {
  if (deepEqual(olds, news)) return [];
  if (isPlainObject(olds) && isPlainObject(news)) {
    const keys = [...new Set([...Object.keys(olds), ...Object.keys(news)])].sort();
    return keys.flatMap((k) => propertyChanges(olds[k], news[k], [...path, k]));
  }
  if (Array.isArray(olds) && Array.isArray(news) && olds.length === news.length) {
    return olds.flatMap((o, i) => propertyChanges(o, news[i], [...path, i]));
  }
  const kind: ChangeKind = olds === undefined ? "add" : news === undefined ? "delete" : "update";
  return [{ path, kind, old: olds, new: news }];
}

/** `a.b[0].c`, the form Pulumi prints and detailed diffs use. */
export function formatPath(path: readonly PathStep[]): string {
  return path.reduce<string>((out, step) => (typeof step === "number" ? `${out}[${step}]` : out ? `${out}.${step}` : step), "");
}
