import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";

/**
 * The CRD step: the program applies the CustomResourceDefinitions that Helm would install once and never
 * upgrade (a chart's `crds/` directory is skipped on `helm upgrade`), at the versions the charts pin, by
 * server-side apply. A chart bump then moves its CRDs with it; the charts are released with `skipCrds`
 * (charts.ts). cert-manager renders its CRDs as templates (`crds.enabled`), so Helm upgrades those itself.
 * tools/kubernetes/src/crd-sources.ts installs the same CRDs (from the Go module proxy) into the kubernetes
 * tier's API server, and its test checks that both tables name the same versions.
 */
export interface CrdBundle {
  /** What the CRDs belong to: a chart of charts.ts, or the Gateway API (a dependency of the ingress controller). */
  readonly owner: keyof typeof charts | "gatewayApi";
  /** The upstream release the files are read at. */
  readonly version: string;
  readonly files: readonly string[];
}

const raw = (repo: string, tag: string, dir: string, names: readonly string[]): string[] =>
  names.map((n) => `https://raw.githubusercontent.com/${repo}/${tag}/${dir}/${n}`);

/** The Gateway API release Traefik v3.7 implements (its go.mod: sigs.k8s.io/gateway-api v1.6.1). */
export const gatewayApiVersion = "v1.6.1";

/** The Traefik release the traefik chart 41.3.0 runs (its appVersion): its traefik.io CRDs (Middleware). */
export const traefikVersion = "v3.7.11";

/** The Prometheus operator kube-prometheus-stack 76.5.1 ships (its appVersion). */
export const prometheusOperatorVersion = "v0.84.1";

const prometheusOperatorCrds = [
  "alertmanagerconfigs",
  "alertmanagers",
  "podmonitors",
  "probes",
  "prometheusagents",
  "prometheuses",
  "prometheusrules",
  "scrapeconfigs",
  "servicemonitors",
  "thanosrulers",
].map((k) => `monitoring.coreos.com_${k}.yaml`);

const daprCrds = [
  "components.yaml",
  "configuration.yaml",
  "httpendpoints.yaml",
  "mcpservers.yaml",
  "resiliency.yaml",
  "subscription.yaml",
  "workflowaccesspolicy.yaml",
];

/**
 * The bundles, by target (the Gateway API's, the Prometheus operator's, Dapr's and Traefik's own): the Gateway API's standard channel on AKS; its experimental channel on minikube,
 * whose Kafka passthrough is a TCPRoute, which Traefik reads from the experimental channel only.
 */
export function crdBundles(gatewayChannel: "standard" | "experimental"): CrdBundle[] {
  return [
    {
      owner: "gatewayApi",
      version: gatewayApiVersion,
      files: [`https://github.com/kubernetes-sigs/gateway-api/releases/download/${gatewayApiVersion}/${gatewayChannel}-install.yaml`],
    },
    {
      owner: "kubePrometheusStack",
      version: prometheusOperatorVersion,
      files: raw(
        "prometheus-operator/prometheus-operator",
        prometheusOperatorVersion,
        "example/prometheus-operator-crd",
        prometheusOperatorCrds,
      ),
    },
    { owner: "dapr", version: `v${charts.dapr.version}`, files: raw("dapr/dapr", `v${charts.dapr.version}`, "charts/dapr/crds", daprCrds) },
    // Every traefik.io CRD (its kubernetesCRD provider watches all of them), for the rate-limit Middlewares.
    {
      owner: "traefik",
      version: traefikVersion,
      files: raw("traefik/traefik", traefikVersion, "docs/content/reference/dynamic-configuration", ["kubernetes-crd-definition-v1.yml"]),
    },
  ];
}

export interface PlatformCrdsArgs {
  readonly gatewayChannel: "standard" | "experimental";
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** One ConfigGroup per bundle; what creates custom resources or installs the charts depends on `resources`. */
export class PlatformCrds extends pulumi.ComponentResource {
  readonly resources: k8s.yaml.v2.ConfigGroup[];

  constructor(name: string, args: PlatformCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:PlatformCrds", name, {}, opts);
    this.resources = crdBundles(args.gatewayChannel).map(
      (b) => new k8s.yaml.v2.ConfigGroup(`${name}-${b.owner}`, { files: [...b.files] }, { parent: this, dependsOn: args.dependsOn }),
    );
    this.registerOutputs({});
  }
}
