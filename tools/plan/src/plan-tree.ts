import type { MockedRun, RecordedResource } from "@tasks/stacks/offline/mocked-run";
import { isSecret, maskSecrets } from "./plan-mask.js";
import { planContext, settingsOf } from "./plan-settings.js";

/** The printable offline plan: the resource tree, the outputs and a count by type. */

/** `azure-native:eventhub:EventHub` → `eventhub:EventHub`, `azuread:index/group:Group` → `azuread:Group`. */
export function shortType(type: string): string {
  if (type.startsWith("azure-native:")) return type.slice("azure-native:".length);
  const m = /^([^:]+):index\/[^:]+:(.+)$/.exec(type);
  return m ? `${m[1]}:${m[2]}` : type;
}

interface Node {
  readonly resource: RecordedResource;
  readonly children: Node[];
}

function buildTree(resources: readonly RecordedResource[]): Node[] {
  const nodes = new Map(resources.map((r) => [r.urn, { resource: r, children: [] as Node[] }]));
  const roots: Node[] = [];
  for (const n of nodes.values()) {
    const parent = n.resource.parent ? nodes.get(n.resource.parent) : undefined;
    (parent ? parent.children : roots).push(n);
  }
  // Siblings grouped by type, then by name (a topic next to its dead-letter topic); roots keep program order.
  const order = (a: Node, b: Node): number =>
    a.resource.type.localeCompare(b.resource.type) || a.resource.name.localeCompare(b.resource.name);
  for (const n of nodes.values()) n.children.sort(order);
  return roots;
}

/** The resource tree, children under their parents, each resource with its type and key settings. */
export function renderTree(resources: readonly RecordedResource[]): string[] {
  const ctx = planContext(resources);
  const lines: string[] = [];
  const walk = (n: Node, prefix: string, last: boolean, top: boolean): void => {
    const r = n.resource;
    const branch = top ? "" : last ? "└─ " : "├─ ";
    const kind = r.custom ? shortType(r.type) : `component ${r.type}`;
    const guard = r.protect ? (r.retainOnDelete ? "  (protected, retained on delete)" : "  (protected)") : "";
    lines.push(`${prefix}${branch}${r.name}  [${kind}]${guard}`);
    const inner = top ? "" : prefix + (last ? "   " : "│  ");
    const bar = n.children.length ? "│  " : "   ";
    for (const setting of settingsOf(r, ctx)) lines.push(`${inner}${bar}  · ${setting}`);
    n.children.forEach((c, i) => walk(c, inner, i === n.children.length - 1, false));
  };
  for (const root of buildTree(resources)) {
    walk(root, "", true, true);
    lines.push("");
  }
  return lines;
}

/** Stack outputs, one per line; secrets as [secret]. */
export function renderOutputs(outputs: Record<string, unknown>): string[] {
  const show = (v: unknown): string => {
    if (isSecret(v)) return "[secret]";
    if (Array.isArray(v)) return v.map(show).join(", ");
    if (v !== null && typeof v === "object")
      return Object.entries(v)
        .map(([k, x]) => `${k}=${show(x)}`)
        .join(", ");
    return String(v);
  };
  const width = Math.max(0, ...Object.keys(outputs).map((k) => k.length));
  return Object.entries(outputs).map(([k, v]) => `  ${k.padEnd(width)}  ${show(v)}`);
}

export interface PlanSummary {
  readonly resources: number;
  readonly components: number;
  readonly byType: Record<string, number>;
}

export function summarize(resources: readonly RecordedResource[]): PlanSummary {
  const byType: Record<string, number> = {};
  for (const r of resources) byType[r.type] = (byType[r.type] ?? 0) + 1;
  const sorted = Object.fromEntries(Object.entries(byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return { resources: resources.length, components: resources.filter((r) => !r.custom).length, byType: sorted };
}

export function renderSummary(summary: PlanSummary): string[] {
  return [
    `  ${summary.resources} resources to create (${summary.resources - summary.components} cloud/Kubernetes resources, ${summary.components} components)`,
    ...Object.entries(summary.byType).map(([t, n]) => `  ${String(n).padStart(4)}  ${t}`),
  ];
}

/** The --json plan: resources with their inputs (secrets masked), outputs (masked) and the summary. */
export function planJson(run: MockedRun, sections: Record<string, string[]>): unknown {
  const ctx = planContext(run.resources);
  return {
    stack: run.stack,
    resources: run.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      ...(r.parent ? { parent: r.parent } : {}),
      custom: r.custom,
      ...(r.protect ? { protect: true } : {}),
      ...(r.retainOnDelete ? { retainOnDelete: true } : {}),
      settings: settingsOf(r, ctx),
      inputs: maskSecrets(r.inputs),
    })),
    outputs: maskSecrets(run.outputs),
    summary: summarize(run.resources),
    sections,
  };
}
