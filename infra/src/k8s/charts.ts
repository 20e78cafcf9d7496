/**
 * Upstream Helm charts at pinned versions. Bump deliberately: each bump is a reviewed change with its
 * release notes read (CRD changes, values renamed).
 */
export interface ChartRef {
  readonly chart: string;
  readonly version: string;
  readonly repo: string;
}

export const charts = {
  certManager: { chart: "cert-manager", version: "v1.18.2", repo: "https://charts.jetstack.io" },
  ingressNginx: { chart: "ingress-nginx", version: "4.13.0", repo: "https://kubernetes.github.io/ingress-nginx" },
  kubePrometheusStack: { chart: "kube-prometheus-stack", version: "76.5.1", repo: "https://prometheus-community.github.io/helm-charts" },
  /** The runtime the integration tier builds daprd from (tools/dapr/go.mod): one Dapr version everywhere. */
  dapr: { chart: "dapr", version: "1.18.2", repo: "https://dapr.github.io/helm-charts" },
} as const satisfies Record<string, ChartRef>;
