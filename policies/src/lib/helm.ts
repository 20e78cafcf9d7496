import { asObject } from "./kubernetes.js";

/** Pulumi types that install a Helm chart; their rendered objects are hidden (Release) or third-party (Chart). */
export const helmTypes: ReadonlySet<string> = new Set([
  "kubernetes:helm.sh/v3:Release",
  "kubernetes:helm.sh/v3:Chart",
  "kubernetes:helm.sh/v4:Chart",
]);

/** A Helm release or chart as the program declares it. */
export interface HelmInstall {
  /** The chart's name without repository or OCI prefix, e.g. `dapr`, `ingress-nginx`. */
  readonly chart: string;
  readonly version: string | undefined;
  readonly namespace: string | undefined;
  readonly repo: string | undefined;
  readonly values: Record<string, unknown>;
}

/** Reads a Helm release/chart's inputs, or undefined if `type` is not one. */
export function helmInstallOf(type: string, props: Record<string, unknown>): HelmInstall | undefined {
  if (!helmTypes.has(type)) return undefined;
  const chartRef = typeof props.chart === "string" ? props.chart : "";
  const repo = asObject(props.repositoryOpts ?? props.fetchOpts).repo;
  return {
    chart: chartRef.replace(/\/+$/, "").split("/").pop() ?? chartRef,
    version: typeof props.version === "string" ? props.version : undefined,
    namespace: typeof props.namespace === "string" ? props.namespace : undefined,
    repo: typeof repo === "string" ? repo : undefined,
    values: asObject(props.values),
  };
}

/** The value at a dotted path of Helm values, e.g. `global.mtls.enabled`. */
export function valueAt(values: Record<string, unknown>, path: string): unknown {
  let cur: unknown = values;
  for (const key of path.split(".")) {
    if (cur === null || typeof cur !== "object" || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Helm values are often strings from YAML: accept `true` and `"true"`. */
export const isTrue = (v: unknown): boolean => v === true || v === "true";
