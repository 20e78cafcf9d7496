import type { Unwrap } from "@pulumi/pulumi";
import type * as input from "@pulumi/kubernetes/types/input.js";
import type { ReportViolation, ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { parseUrn } from "./environment.js";

export type PodSpec = Unwrap<input.core.v1.PodSpec>;
export type Container = Unwrap<input.core.v1.Container>;
export type ObjectMeta = Unwrap<input.meta.v1.ObjectMeta>;
export type SecurityContext = Unwrap<input.core.v1.SecurityContext>;
export type PodSecurityContext = Unwrap<input.core.v1.PodSecurityContext>;

/** Kinds whose objects carry a pod template, by Pulumi type token. */
export const workloadKinds: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:Deployment": "Deployment",
  "kubernetes:apps/v1:StatefulSet": "StatefulSet",
  "kubernetes:apps/v1:DaemonSet": "DaemonSet",
  "kubernetes:apps/v1:ReplicaSet": "ReplicaSet",
  "kubernetes:batch/v1:Job": "Job",
  "kubernetes:batch/v1:CronJob": "CronJob",
  "kubernetes:core/v1:Pod": "Pod",
  "kubernetes:core/v1:ReplicationController": "ReplicationController",
};

/** Kinds that run to completion: no probes, no replicas. */
export const batchKinds: ReadonlySet<string> = new Set(["Job", "CronJob"]);

/** A workload object reduced to what the policies read: its metadata and its pod template. */
export interface Workload {
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly metadata: ObjectMeta;
  /** Labels and annotations of the pods (the template's, or the Pod's own). */
  readonly podMetadata: ObjectMeta;
  readonly podSpec: PodSpec;
  /** `spec.replicas` where the kind has it and it is set. */
  readonly replicas: number | undefined;
}

type Json = Record<string, unknown>;

const obj = (v: unknown): Json => (v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Json) : {});

/** The object's name: `metadata.name`, else the Pulumi resource name (the provider autonames from it). */
export function objectName(metadata: ObjectMeta | undefined, resourceName: string): string {
  return typeof metadata?.name === "string" && metadata.name !== "" ? metadata.name : resourceName;
}

/** `Kind "namespace/name"` (or `Kind "name"` for cluster-scoped objects), for messages. */
export function describeObject(kind: string, name: string, namespace?: string): string {
  return namespace ? `${kind} "${namespace}/${name}"` : `${kind} "${name}"`;
}

/** Extracts the pod template of a workload, or undefined if `type` is not a workload kind. */
export function workloadOf(type: string, props: Json, resourceName: string): Workload | undefined {
  const kind = workloadKinds[type];
  if (!kind) return undefined;
  const metadata = obj(props.metadata) as ObjectMeta;
  const spec = obj(props.spec);
  let template: Json;
  if (kind === "Pod") template = { metadata: props.metadata, spec: props.spec };
  else if (kind === "CronJob") template = obj(obj(obj(spec.jobTemplate).spec).template);
  else template = obj(spec.template);
  const replicas = typeof spec.replicas === "number" ? spec.replicas : undefined;
  return {
    kind,
    name: objectName(metadata, resourceName),
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : undefined,
    metadata,
    podMetadata: obj(template.metadata) as ObjectMeta,
    podSpec: obj(template.spec) as PodSpec,
    replicas: kind === "Pod" || kind === "DaemonSet" || batchKinds.has(kind) ? undefined : replicas,
  };
}

export type ContainerRole = "container" | "init container" | "ephemeral container";

export interface ContainerEntry {
  readonly role: ContainerRole;
  readonly container: Container;
  /** `container "app"`, `init container "migrate"`: the subject of container-level messages. */
  readonly label: string;
}

/** Every container of a pod, init and ephemeral containers included. */
export function containersOf(podSpec: PodSpec): ContainerEntry[] {
  const list = (v: unknown): Container[] => (Array.isArray(v) ? (v as Container[]) : []);
  const entries: ContainerEntry[] = [];
  const add = (role: ContainerRole, cs: Container[]) => {
    for (const c of cs) entries.push({ role, container: c, label: `${role} "${typeof c?.name === "string" ? c.name : "?"}"` });
  };
  add("container", list(podSpec.containers));
  add("init container", list(podSpec.initContainers));
  add("ephemeral container", list(podSpec.ephemeralContainers as unknown));
  return entries;
}

/** Helm chart types whose rendered objects appear as the chart's children in a real `pulumi preview`. */
const helmChartTypes = new Set(["kubernetes:helm.sh/v3:Chart", "kubernetes:helm.sh/v4:Chart"]);

/**
 * True for objects rendered from a Helm chart (the chart component is an ancestor in the URN).
 * Third-party chart objects are governed through the values handed to the release, so workload
 * policies leave them alone; a mocked run does not see them at all.
 */
export function isRenderedByHelm(urn: string): boolean {
  const parsed = parseUrn(urn);
  return !!parsed && parsed.typeChain.slice(0, -1).some((t) => helmChartTypes.has(t));
}

/**
 * A resource validation over the workloads the program creates itself. Other types and objects
 * rendered from Helm charts are reported as not applicable.
 */
export function validateWorkload(check: (w: Workload, args: ResourceValidationArgs, report: ReportViolation) => void): ResourceValidation {
  return (args, report) => {
    const w = workloadOf(args.type, args.props, args.name);
    if (!w)
      return args.notApplicable("applies to Kubernetes workloads (Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Pod)");
    if (isRenderedByHelm(args.urn)) return args.notApplicable("rendered from a Helm chart: the chart's values are validated instead");
    check(w, args, report);
  };
}

/** The value of a label or annotation, if it is a string. */
export function stringEntry(map: unknown, key: string): string | undefined {
  const v = obj(map)[key];
  return typeof v === "string" ? v : undefined;
}

/**
 * Whether a LabelSelector (`matchLabels` and `matchExpressions`, as on a PodDisruptionBudget or a
 * NetworkPolicy) selects pods with `labels`. An empty selector selects every pod.
 */
export function labelSelectorMatches(selector: unknown, labels: unknown): boolean {
  const s = obj(selector);
  const l = obj(labels);
  const byLabels = Object.entries(obj(s.matchLabels)).every(([k, v]) => l[k] === v);
  const exprs = Array.isArray(s.matchExpressions) ? (s.matchExpressions as Json[]) : [];
  return (
    byLabels &&
    exprs.every((e) => {
      const key = String(e.key);
      const values = Array.isArray(e.values) ? e.values.map(String) : [];
      const has = Object.prototype.hasOwnProperty.call(l, key);
      switch (e.operator) {
        case "In":
          return has && values.includes(String(l[key]));
        case "NotIn":
          return !has || !values.includes(String(l[key]));
        case "Exists":
          return has;
        case "DoesNotExist":
          return !has;
        default:
          return false;
      }
    })
  );
}

/** Whether a Service's `spec.selector` (a plain label map) selects pods with `labels`; an empty one selects none. */
export function serviceSelectorMatches(selector: unknown, labels: unknown): boolean {
  const entries = Object.entries(obj(selector));
  const l = obj(labels);
  return entries.length > 0 && entries.every(([k, v]) => l[k] === v);
}

export { obj as asObject };

/** A KEDA ScaledObject (keda.sh/v1alpha1), as a CustomResource of the program. */
export function isScaledObject(r: { readonly type: string; readonly props: Record<string, unknown> }): boolean {
  return (
    r.type === "kubernetes:keda.sh/v1alpha1:ScaledObject" || (r.props.apiVersion === "keda.sh/v1alpha1" && r.props.kind === "ScaledObject")
  );
}
