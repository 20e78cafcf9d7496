import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import type { RecordedResource } from "./mocked-run.js";
import { withPulumiAutoname } from "./pulumi-autoname.js";

/** A Kubernetes object as the program declared it. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly [k: string]: unknown };
  readonly [field: string]: unknown;
}

/** A Helm release: its chart, version and the values handed to it (what policies can see of it). */
export interface ReleaseSummary {
  readonly resource: string;
  readonly release: unknown;
  readonly namespace: unknown;
  readonly chart: unknown;
  readonly version: unknown;
  readonly repo: unknown;
  readonly values: unknown;
}

const helmTypes = /^kubernetes:helm\.sh\/v\d+:(Release|Chart)$/;
const redacted = "<redacted>";

/** `kubernetes:apps/v1:Deployment` → apps/v1, Deployment; `kubernetes:core/v1:Service` → v1, Service. */
export function typeToGroupVersionKind(type: string): { apiVersion: string; kind: string } | undefined {
  const m = /^kubernetes:([^:]+):([A-Za-z0-9]+)$/.exec(type);
  if (!m) return undefined;
  const [, groupVersion, kind] = m;
  return { apiVersion: groupVersion!.startsWith("core/") ? groupVersion!.slice("core/".length) : groupVersion!, kind: kind! };
}

/** Secret values never reach a rendered file: data and stringData keep their keys, not their values. */
function redact(manifest: Manifest): Manifest {
  if (manifest.kind !== "Secret") return manifest;
  const mask = (o: unknown, value: string) =>
    o && typeof o === "object" ? Object.fromEntries(Object.keys(o as object).map((k) => [k, value])) : o;
  return {
    ...manifest,
    ...(manifest.data !== undefined ? { data: mask(manifest.data, Buffer.from(redacted).toString("base64")) } : {}),
    ...(manifest.stringData !== undefined ? { stringData: mask(manifest.stringData, redacted) } : {}),
  };
}

/**
 * The Kubernetes objects a run created directly (not Helm releases, charts, providers or components), as
 * the provider sends them: an object the program leaves unnamed gets Pulumi's auto-name (pulumi-autoname.ts).
 */
export function manifestsOf(resources: readonly RecordedResource[]): Manifest[] {
  return resources.flatMap((r) => {
    if (!r.custom || helmTypes.test(r.type)) return [];
    const gvk = typeToGroupVersionKind(r.type);
    if (!gvk) return [];
    const { apiVersion: _a, kind: _k, metadata, ...rest } = r.inputs as Record<string, unknown>;
    const manifest: Manifest = { apiVersion: gvk.apiVersion, kind: gvk.kind, metadata: (metadata ?? {}) as Manifest["metadata"], ...rest };
    return [redact(withPulumiAutoname(manifest, r.name, r.urn))];
  });
}

/** The Helm releases of a run, with the values passed to each. */
export function releasesOf(resources: readonly RecordedResource[]): ReleaseSummary[] {
  return resources
    .filter((r) => helmTypes.test(r.type))
    .map((r) => ({
      resource: r.name,
      release: r.inputs.name,
      namespace: r.inputs.namespace,
      chart: r.inputs.chart,
      version: r.inputs.version,
      repo: (r.inputs.repositoryOpts as { repo?: unknown } | undefined)?.repo,
      values: r.inputs.values,
    }));
}

const fileName = (m: Manifest, i: number): string =>
  `${String(i + 1).padStart(3, "0")}-${m.kind}-${m.metadata.name ?? "unnamed"}.yaml`.toLowerCase().replace(/[^a-z0-9.-]+/g, "-");

/**
 * Writes every Kubernetes object a stack creates directly (not those inside Helm charts) as YAML
 * files under `dir/<namespace>/` (`dir/_cluster/` for cluster-scoped objects), and the Helm releases
 * with their values to `dir/helm-releases.yaml`. Replaces what a previous render left in `dir`.
 * Returns how many objects were written.
 */
export async function renderManifests(resources: readonly RecordedResource[], dir: string): Promise<number> {
  const manifests = manifestsOf(resources);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  manifests.forEach((m, i) => {
    const sub = path.join(dir, m.metadata.namespace ?? "_cluster");
    mkdirSync(sub, { recursive: true });
    writeFileSync(path.join(sub, fileName(m, i)), stringify(m, { lineWidth: 0 }));
  });
  const releases = releasesOf(resources);
  if (releases.length) writeFileSync(path.join(dir, "helm-releases.yaml"), stringify(releases, { lineWidth: 0 }));
  return manifests.length;
}
