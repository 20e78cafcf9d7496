/** Plain JSON values for fixtures, with path-based edits so each failing case changes one thing. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const clone = <T extends Json>(v: T): T => structuredClone(v);

function walk(obj: JsonObject, path: string): { parent: JsonObject | Json[]; key: string } {
  const keys = path.split(".");
  let cur: Json = obj;
  for (const k of keys.slice(0, -1)) {
    const container = cur as Record<string, Json>;
    if (container[k] === undefined || container[k] === null) container[k] = /^\d+$/.test(keys[keys.indexOf(k) + 1] ?? "") ? [] : {};
    cur = container[k] as Json;
  }
  return { parent: cur as JsonObject, key: keys[keys.length - 1] as string };
}

/** A copy of `obj` with the value at a dotted path (array indexes as numbers) set. */
export function set<T extends JsonObject>(obj: T, path: string, value: Json): T {
  const copy = clone(obj);
  const { parent, key } = walk(copy, path);
  (parent as Record<string, Json>)[key] = value;
  return copy;
}

/** A copy of `obj` without the value at a dotted path. */
export function unset<T extends JsonObject>(obj: T, path: string): T {
  const copy = clone(obj);
  const { parent, key } = walk(copy, path);
  if (Array.isArray(parent)) parent.splice(Number(key), 1);
  else delete parent[key];
  return copy;
}

/** Applies several edits: `[path, value]` sets, `[path]` removes. */
export function edit<T extends JsonObject>(obj: T, ...edits: ([string, Json] | [string])[]): T {
  return edits.reduce<T>((acc, e) => (e.length === 2 ? set(acc, e[0], e[1]) : unset(acc, e[0])), obj);
}
