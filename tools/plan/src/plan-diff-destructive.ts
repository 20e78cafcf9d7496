import { formatPath } from "@tasks/stacks/offline/property-diff";
import { replacingChanges } from "@tasks/stacks/offline/replacements";
import { statefulResource } from "@tasks/stacks/protection";
import type { PlanDiff, ShownValue } from "./plan-diff-compare.js";
import { isSecretValue, sensitiveKeyPattern, type PlanResource, type PlanSnapshot } from "./plan-diff-model.js";

/**
 * The changes of a plan diff that destroy something: what a reviewer must see first.
 * - delete: a resource the base has and the head does not.
 * - rename: a changed logical name or parent changes the URN, which Pulumi carries out as a delete and
 *   a create — of the same cloud object when its identity properties did not change — unless the new
 *   resource declares the old one in `aliases`.
 * - replace: a change of a property the provider cannot update in place (stacks/src/offline/replacements.ts,
 *   each rule with its source), of a stateful resource (stacks/src/protection.ts). A stateless one that is
 *   replaced (the database-roles Job on every new image, a Secret whose data changed) loses nothing: it is
 *   an ordinary change of the diff, not a destructive one.
 * - unprotect: a resource that loses `protect` (the next change can delete it).
 */
export type DestructiveKind = "delete" | "rename" | "replace" | "unprotect";

export interface ReplacementReason {
  readonly path: string;
  readonly before: ShownValue;
  readonly after: ShownValue;
  /** Where the rule is stated (provider schema, source or issue). */
  readonly source: string;
}

export interface DestructiveChange {
  readonly kind: DestructiveKind;
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** rename: the resource it becomes. */
  readonly to?: { readonly urn: string; readonly name: string; readonly parent?: string };
  /** replace: the property changes that force it. */
  readonly reasons?: readonly ReplacementReason[];
  /** In the table of stateful resources (stacks/src/protection.ts): losing it loses data or the platform. */
  readonly stateful: boolean;
  /** What the stateful resource holds, from that table. */
  readonly holds?: string;
  /** Protected in the base: `pulumi up` refuses the change until the resource is unprotected. */
  readonly protected: boolean;
}

const kindOrder: Readonly<Record<DestructiveKind, number>> = { delete: 0, rename: 1, replace: 2, unprotect: 3 };

function shown(value: unknown, path: string): ShownValue {
  if (isSecretValue(value) || sensitiveKeyPattern.test(path)) return { masked: true };
  return { masked: false, text: value === undefined ? "(none)" : JSON.stringify(value) };
}

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The added resource a removed one was renamed or re-parented to, if any: same type and either the
 * same logical name (a new parent) or the same identity (no property that forces a replacement differs,
 * and the type has such properties), or the same properties altogether.
 */
function renamedTo(removed: PlanResource, candidates: readonly PlanResource[]): PlanResource | undefined {
  const sameType = candidates.filter((a) => a.type === removed.type);
  return (
    sameType.find((a) => a.name === removed.name) ??
    sameType.find((a) => sameJson(a.props, removed.props)) ??
    sameType.find((a) => identityOf(removed) !== undefined && replacingChanges(a.type, removed.props, a.props).length === 0)
  );
}

/** Whether the type's replacement rules name properties this resource sets (its cloud identity). */
function identityOf(r: PlanResource): true | undefined {
  return replacingChanges(r.type, {}, r.props).length > 0 ? true : undefined;
}

function describe(r: PlanResource, kind: DestructiveKind, base: PlanResource): Omit<DestructiveChange, "to" | "reasons"> {
  const entry = statefulResource(base.type, base.props);
  return {
    kind,
    urn: r.urn,
    type: r.type,
    name: r.name,
    stateful: entry !== undefined,
    ...(entry ? { holds: entry.why } : {}),
    protected: base.protect === true,
  };
}

/** The destructive changes between two plans, stateful resources first, then deletes, renames, replacements. */
export function destructiveChanges(base: PlanSnapshot, head: PlanSnapshot, diff: PlanDiff): DestructiveChange[] {
  const out: DestructiveChange[] = [];
  const unpaired = [...diff.added];
  for (const removed of diff.removed) {
    const target = renamedTo(removed, unpaired);
    if (target) {
      unpaired.splice(unpaired.indexOf(target), 1);
      out.push({
        ...describe(removed, "rename", removed),
        to: { urn: target.urn, name: target.name, ...(target.parent ? { parent: target.parent } : {}) },
      });
    } else {
      out.push(describe(removed, "delete", removed));
    }
  }
  for (const changed of diff.changed) {
    const before = base.resources.get(changed.urn);
    const after = head.resources.get(changed.urn);
    if (!before || !after) continue;
    const replacements = replacingChanges(after.type, before.props, after.props);
    if (replacements.length > 0 && statefulResource(before.type, before.props) !== undefined) {
      out.push({
        ...describe(after, "replace", before),
        reasons: replacements.map((r) => {
          const path = formatPath(r.change.path);
          return { path, before: shown(r.change.old, path), after: shown(r.change.new, path), source: r.source };
        }),
      });
    }
  }
  for (const [urn, before] of base.resources) {
    const after = head.resources.get(urn);
    if (after && before.protect === true && after.protect !== true) out.push(describe(after, "unprotect", before));
  }
  return out.sort(
    (a, b) =>
      Number(b.stateful) - Number(a.stateful) || kindOrder[a.kind] - kindOrder[b.kind] || (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0),
  );
}
