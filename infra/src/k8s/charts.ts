/**
 * Upstream Helm charts at pinned versions. Bump deliberately: each bump is a reviewed change with its
 * release notes read (CRD changes, values renamed).
 */
export interface ChartRef {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
  /**
   * The chart's `crds/` directory is applied by the program's CRD step (crds.ts) instead: Helm installs such
   * CRDs once and never upgrades them.
   */
  readonly skipCrds?: true;
}

export const charts = {
  certManager: { chart: "cert-manager", version: "v1.18.2", repo: "https://charts.jetstack.io" },
  /**
   * Traefik v3.7 (appVersion v3.7.11), the Gateway API implementation; it serves Gateway API v1.6. Its
   * traefik.io CRDs (the rate-limit Middlewares) come from the CRD step.
   */
  traefik: { chart: "traefik", version: "41.3.0", repo: "https://traefik.github.io/charts", skipCrds: true },
  kubePrometheusStack: {
    chart: "kube-prometheus-stack",
    version: "76.5.1",
    repo: "https://prometheus-community.github.io/helm-charts",
    skipCrds: true,
  },
  /** The runtime the integration tier builds daprd from (tools/dapr/go.mod): one Dapr version everywhere. */
  dapr: { chart: "dapr", version: "1.18.2", repo: "https://dapr.github.io/helm-charts", skipCrds: true },
  /** Consumer-group lag from the broker: danielqsj/kafka_exporter v1.9.0 (Apache-2.0). */
  kafkaExporter: {
    chart: "prometheus-kafka-exporter",
    version: "2.13.0",
    repo: "https://prometheus-community.github.io/helm-charts",
  },
  /** The trace collector: OpenTelemetry Collector (contrib distribution: the azuremonitor exporter), Apache-2.0. */
  otelCollector: {
    chart: "opentelemetry-collector",
    version: "0.158.3",
    repo: "https://open-telemetry.github.io/opentelemetry-helm-charts",
  },
  /**
   * Chaos Mesh v2.8.3 (Apache-2.0), game days on dev only (opt-in: tasks-platform:chaos). The chart installs its
   * chaos-mesh.org CRDs from its crds/ on first install (an opt-in tool, removed with its release).
   */
  chaosMesh: { chart: "chaos-mesh", version: "2.8.3", repo: "https://charts.chaos-mesh.org" },
  /** KEDA on minikube; AKS runs the KEDA add-on instead (ManagedCluster workloadAutoScalerProfile.keda). */
  keda: { chart: "keda", version: "2.17.2", repo: "https://kedacore.github.io/charts" },
} as const satisfies Record<string, ChartRef>;
