/**
 * Where the CustomResourceDefinitions of the charts (and chart-less AKS add-ons) the stacks install come from, at the versions the
 * stacks pin (infra/src/k8s/charts.ts). Each is a directory of a Go module, fetched into the module cache
 * with `go mod download` (the Go module proxy serves the upstream repositories; nothing is committed).
 *
 * A chart's version is not its application's version: each entry states the mapping, and
 * tools/kubernetes/test/crd-sources.test.ts fails when a chart pin moves without this file.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type charts } from "@tasks/infra/k8s/charts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** A directory of CRD YAML files inside a Go module. */
export interface CrdModule {
  readonly module: string;
  /** The module version read; differs from appVersion only where `note` says why. */
  readonly moduleVersion: string;
  /** Directory inside the module holding the CRD YAML files. */
  readonly dir: string;
  /** The files are Helm templates: labels and annotations holding `{{ }}` are dropped before use. */
  readonly helmTemplated: boolean;
  /** Only these files of `dir` (the others hold the same CRDs again, or no CRDs). @default every .yaml/.yml file */
  readonly files?: readonly string[];
  readonly note?: string;
}

export interface CrdSource extends CrdModule {
  /** The key of the chart in infra/src/k8s/charts.ts whose CRDs these are. */
  readonly chartKey: keyof typeof charts;
  /** The chart version these CRDs were checked against (must equal the chart pin). */
  readonly chartVersion: string;
  /** The application version that chart version ships (the chart's appVersion). */
  readonly appVersion: string;
}

/** CRDs an AKS add-on installs (no chart of ours pins them: AKS manages the add-on's version). */
export interface AddOnCrdSource extends CrdModule {
  /** The ManagedCluster add-on (infra/src/azure/aks/cluster-spec.ts) that installs these CRDs. */
  readonly addOn: string;
  /** The kinds of these CRDs the stacks create. */
  readonly kinds: readonly string[];
}

/** The dapr/dapr version daprd is built from: tools/dapr/go.mod's require (one Dapr version everywhere). */
export function daprModuleVersion(goMod = readFileSync(path.join(root, "tools/dapr/go.mod"), "utf8")): string {
  const m = /^\s*github\.com\/dapr\/dapr (v\S+)/m.exec(goMod);
  if (!m) throw new Error("tools/dapr/go.mod: no github.com/dapr/dapr require");
  return m[1]!;
}

export const crdSources: readonly CrdSource[] = [
  {
    chartKey: "dapr",
    chartVersion: "1.18.2",
    appVersion: "v1.18.2",
    module: "github.com/dapr/dapr",
    moduleVersion: daprModuleVersion(),
    dir: "charts/dapr/crds",
    helmTemplated: false,
    note: "The chart's own crds/ directory, from the module the integration tier builds daprd from.",
  },
  {
    chartKey: "certManager",
    chartVersion: "v1.18.2",
    appVersion: "v1.18.2",
    module: "github.com/cert-manager/cert-manager",
    moduleVersion: "v1.18.2",
    dir: "deploy/crds",
    helmTemplated: true,
    note: "cert-manager releases its chart at the application's version. deploy/crds holds the sources of the chart's CRD templates.",
  },
  {
    chartKey: "traefik",
    chartVersion: "41.3.0",
    appVersion: "v3.7.11",
    module: "sigs.k8s.io/gateway-api",
    moduleVersion: "v1.6.1",
    dir: "config/crd/standard",
    helmTemplated: false,
    note:
      "Not the chart's own: Traefik v3.7.11 (appVersion) implements the Gateway API whose CRDs the program's CRD step " +
      "installs (infra/src/k8s/crds.ts gatewayApiVersion; Traefik's go.mod requires sigs.k8s.io/gateway-api v1.6.1). The " +
      "standard channel for AKS; the local stack's TCPRoute needs the experimental one (gatewayChannelSources).",
  },
  {
    chartKey: "traefik",
    chartVersion: "41.3.0",
    appVersion: "v3.7.11",
    module: "github.com/traefik/traefik/v3",
    moduleVersion: "v3.7.11",
    dir: "docs/content/reference/dynamic-configuration",
    files: ["kubernetes-crd-definition-v1.yml"],
    helmTemplated: false,
    note:
      "Traefik's own traefik.io CRDs (Middleware: the ingress rate limits), the file the program's CRD step applies " +
      "(infra/src/k8s/crds.ts traefikVersion) from the release the chart runs; the chart's crds/ are skipped.",
  },
  {
    chartKey: "chaosMesh",
    chartVersion: "2.8.3",
    appVersion: "v2.8.3",
    module: "github.com/chaos-mesh/chaos-mesh",
    moduleVersion: "v0.9.1-0.20260902003049-47411975a8cb",
    dir: "config/crd/bases",
    helmTemplated: false,
    note:
      "Chaos Mesh tags v2.x without a /v2 module path, so its releases are +incompatible versions, which the module proxy " +
      "does not serve here (403 for v2.8.3+incompatible and for the tag's commit); it serves this pseudo-version of master " +
      "(2026-09-02). Its chaos-mesh.org_podchaos, _networkchaos and _schedules.yaml are byte-identical to the v2.8.3 tag's " +
      "(checked with git against the tag); the chart 2.8.3 installs its crds/, generated from this directory.",
  },
  {
    chartKey: "kubePrometheusStack",
    chartVersion: "76.5.1",
    appVersion: "v0.84.1",
    module: "github.com/prometheus-operator/prometheus-operator",
    moduleVersion: "v0.84.0",
    dir: "example/prometheus-operator-crd",
    helmTemplated: false,
    note:
      "The chart's charts/crds/crds are copies of example/prometheus-operator-crd at its appVersion v0.84.1, which the " +
      "module proxy does not serve (403). v0.84.0's files differ from the chart's only in the operator.prometheus.io/version " +
      "annotation (checked against prometheus-community/helm-charts at kube-prometheus-stack-76.5.1).",
  },
  {
    chartKey: "keda",
    chartVersion: "2.17.2",
    appVersion: "v2.17.2",
    module: "github.com/kedacore/keda/v2",
    moduleVersion: "v2.17.2",
    dir: "config/crd/bases",
    helmTemplated: false,
    note:
      "KEDA releases its chart at the application's version; the chart's CRDs are generated from config/crd/bases. " +
      "On AKS the KEDA add-on installs the same keda.sh/v1alpha1 CRDs (ScaledObject, TriggerAuthentication).",
  },
];

/** The Gateway API CRDs of the channel a stack's CRD step installs (`experimental` serves TCPRoute v1alpha2). */
export function gatewayChannelSources(channel: "standard" | "experimental", sources: readonly CrdSource[] = crdSources): CrdSource[] {
  return sources.map((s) => (s.module === "sigs.k8s.io/gateway-api" ? { ...s, dir: `config/crd/${channel}` } : s));
}

/** The Gateway API channel a run's CRD step installs (infra/src/k8s/crds.ts: the ConfigGroup's file). */
export function gatewayChannelOf(
  resources: readonly { type: string; name: string; inputs: Record<string, unknown> }[],
): "standard" | "experimental" {
  const group = resources.find((r) => r.type === "kubernetes:yaml/v2:ConfigGroup" && r.name === "platform-crds-gatewayApi");
  return JSON.stringify(group?.inputs.files ?? "").includes("experimental-install") ? "experimental" : "standard";
}

/** CRDs of the AKS add-ons the stacks create objects for (the chart-less ones). */
export const addOnCrdSources: readonly AddOnCrdSource[] = [
  {
    addOn: "azureKeyvaultSecretsProvider",
    kinds: ["SecretProviderClass"],
    module: "sigs.k8s.io/secrets-store-csi-driver",
    moduleVersion: "v1.5.4",
    dir: "config/crd/bases",
    helmTemplated: false,
    note:
      "The Secrets Store CSI driver of AKS's azureKeyvaultSecretsProvider add-on, whose version AKS manages. Its " +
      "secrets-store.csi.x-k8s.io/v1 SecretProviderClass has kept the same schema across the v1.x releases; v1.5.4 is the " +
      "one checked. The module proxy lists no versions of this module (403 on @v/list); explicit versions are served.",
  },
];

/** Every CRD module the kubernetes tier installs from. */
export const allCrdModules: readonly (CrdSource | AddOnCrdSource)[] = [...crdSources, ...addOnCrdSources];

/** How a source is named in the tier's log: its chart and version, or its add-on. */
export const crdOrigin = (s: CrdSource | AddOnCrdSource): string =>
  "chartKey" in s ? `chart ${String(s.chartKey)} ${s.chartVersion}` : `AKS add-on ${s.addOn}`;
