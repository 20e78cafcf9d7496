/**
 * Sends a stack's rendered objects to an API server in dependency order: Namespaces are created for real
 * (everything namespaced needs them to exist), every other object by server-side dry run with strict
 * field validation, so unknown or duplicate fields are rejected rather than silently dropped. Returns
 * one result per object: the status, the server's message when rejected, and every Warning header.
 */
import { statusMessage, type KubeClient } from "./client.js";

export interface KubeObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly [field: string]: unknown;
}

export interface ObjectResult {
  /** `Kind namespace/name` (`Kind name` when cluster-scoped). */
  readonly ref: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly accepted: boolean;
  /** Created for real (Namespaces) rather than by dry run. */
  readonly created: boolean;
  readonly status: number;
  /** The server's message when rejected. */
  readonly message?: string;
  readonly warnings: readonly string[];
}

interface ResourceInfo {
  readonly plural: string;
  readonly namespaced: boolean;
}

/**
 * Helm's install order for the built-in kinds (pkg/release/util/kind_sorter.go): what others refer to
 * comes first. Kinds not listed (custom resources) go after them, in render order.
 */
const kindOrder = [
  "Namespace",
  "NetworkPolicy",
  "ResourceQuota",
  "LimitRange",
  "PodDisruptionBudget",
  "ServiceAccount",
  "Secret",
  "ConfigMap",
  "StorageClass",
  "PersistentVolume",
  "PersistentVolumeClaim",
  "CustomResourceDefinition",
  "ClusterRole",
  "ClusterRoleBinding",
  "Role",
  "RoleBinding",
  "Service",
  "DaemonSet",
  "Pod",
  "ReplicaSet",
  "Deployment",
  "HorizontalPodAutoscaler",
  "StatefulSet",
  "Job",
  "CronJob",
  "IngressClass",
  "Ingress",
  "APIService",
  "MutatingWebhookConfiguration",
  "ValidatingWebhookConfiguration",
];

/** Dependency order: Namespaces, then cluster-scoped objects, then namespaced ones; built-in kinds in Helm's order. */
export function dependencyOrder<T extends KubeObject>(objects: readonly T[], namespaced: (o: T) => boolean): T[] {
  const rank = (o: T): [number, number] => {
    const k = kindOrder.indexOf(o.kind);
    return [o.kind === "Namespace" ? 0 : namespaced(o) ? 2 : 1, k < 0 ? kindOrder.length : k];
  };
  return objects
    .map((o, i) => ({ o, i, r: rank(o) }))
    .sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || a.i - b.i)
    .map((x) => x.o);
}

export function refOf(o: KubeObject): string {
  const name = o.metadata.name ?? "<no name>";
  return `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ""}${name}`;
}

/** Discovery, one API group version at a time: kind → plural and scope. */
export class Discovery {
  private readonly cache = new Map<string, Map<string, ResourceInfo>>();
  constructor(private readonly client: KubeClient) {}

  async lookup(apiVersion: string, kind: string): Promise<ResourceInfo | undefined> {
    let kinds = this.cache.get(apiVersion);
    if (!kinds) {
      const res = await this.client.request("GET", apiVersion === "v1" ? "/api/v1" : `/apis/${apiVersion}`);
      const list =
        res.status === 200 ? ((res.body as { resources?: { name: string; kind: string; namespaced: boolean }[] }).resources ?? []) : [];
      kinds = new Map(list.filter((r) => !r.name.includes("/")).map((r) => [r.kind, { plural: r.name, namespaced: r.namespaced }]));
      this.cache.set(apiVersion, kinds);
    }
    return kinds.get(kind);
  }
}

function collectionPath(apiVersion: string, info: ResourceInfo, namespace: string | undefined): string {
  const prefix = apiVersion === "v1" ? "/api/v1" : `/apis/${apiVersion}`;
  return info.namespaced ? `${prefix}/namespaces/${namespace ?? "default"}/${info.plural}` : `${prefix}/${info.plural}`;
}

/** Sends every object (see the module comment); never throws for a rejection, only for transport errors. */
export async function applyInOrder(client: KubeClient, objects: readonly KubeObject[]): Promise<ObjectResult[]> {
  const discovery = new Discovery(client);
  const infos = new Map<KubeObject, ResourceInfo | undefined>();
  for (const o of objects) infos.set(o, await discovery.lookup(o.apiVersion, o.kind));
  const results: ObjectResult[] = [];
  for (const o of dependencyOrder(objects, (x) => infos.get(x)?.namespaced ?? true)) {
    const info = infos.get(o);
    const base = { ref: refOf(o), kind: o.kind, namespace: o.metadata.namespace };
    if (!info) {
      const message = `the server does not serve ${o.apiVersion} ${o.kind} (no CRD installed for it?)`;
      results.push({ ...base, accepted: false, created: false, status: 404, message, warnings: [] });
      continue;
    }
    const created = o.kind === "Namespace" && o.apiVersion === "v1";
    const query = created ? "?fieldValidation=Strict" : "?dryRun=All&fieldValidation=Strict";
    const res = await client.request("POST", collectionPath(o.apiVersion, info, o.metadata.namespace) + query, o);
    const accepted = res.status === 200 || res.status === 201;
    results.push({
      ...base,
      accepted,
      created,
      status: res.status,
      ...(accepted ? {} : { message: statusMessage(res.body) }),
      warnings: res.warnings,
    });
  }
  return results;
}

/** Namespaces whose Pod Security labels (enforce, warn or audit) say `restricted`. */
export function restrictedNamespaces(objects: readonly KubeObject[]): Set<string> {
  const levels = ["enforce", "warn", "audit"].map((m) => `pod-security.kubernetes.io/${m}`);
  return new Set(
    objects
      .filter((o) => o.kind === "Namespace" && levels.some((l) => o.metadata.labels?.[l] === "restricted"))
      .map((o) => o.metadata.name!),
  );
}

/** Pod Security admission's warnings ("would violate PodSecurity ..."), by object. */
export function podSecurityWarnings(results: readonly ObjectResult[]): { ref: string; warning: string }[] {
  return results.flatMap((r) => r.warnings.filter((w) => /PodSecurity/.test(w)).map((warning) => ({ ref: r.ref, warning })));
}

/** One line per rejected object: `Kind namespace/name: message`. */
export function rejections(results: readonly ObjectResult[]): string[] {
  return results.filter((r) => !r.accepted).map((r) => `${r.ref}: ${r.message ?? `HTTP ${r.status}`}`);
}
