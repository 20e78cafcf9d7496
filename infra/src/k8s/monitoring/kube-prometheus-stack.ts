import { grafanaDashboardLabel } from "./monitors.js";

export interface KubePrometheusStackOptions {
  /** Two Prometheus and three Alertmanager replicas. */
  readonly highAvailability: boolean;
  /** How long Prometheus keeps samples. */
  readonly retention: string;
  /** Persistent volume per Prometheus replica; undefined keeps data in an emptyDir. */
  readonly storage?: { readonly size: string; readonly storageClassName?: string };
  /** Secret holding Grafana's admin user and password (keys admin-user, admin-password). */
  readonly grafanaAdminSecret: string;
}

/**
 * Helm values of kube-prometheus-stack. Prometheus selects every ServiceMonitor, PodMonitor and
 * PrometheusRule in the cluster (not only the chart's own), Grafana's admin password comes from a
 * Secret the program generates (the chart's default is a well-known string), and Grafana's sidecar
 * loads dashboards from ConfigMaps labelled grafana_dashboard=1 in any namespace.
 * Managed control planes (AKS) and minikube do not expose etcd, the scheduler or the controller manager.
 */
export function kubePrometheusStackValues(o: KubePrometheusStackOptions): Record<string, unknown> {
  const [label, labelValue] = Object.entries(grafanaDashboardLabel)[0]!;
  return {
    fullnameOverride: "kube-prometheus-stack",
    kubeEtcd: { enabled: false },
    kubeScheduler: { enabled: false },
    kubeControllerManager: { enabled: false },
    kubeProxy: { enabled: false },
    prometheus: {
      prometheusSpec: {
        replicas: o.highAvailability ? 2 : 1,
        retention: o.retention,
        serviceMonitorSelectorNilUsesHelmValues: false,
        podMonitorSelectorNilUsesHelmValues: false,
        ruleSelectorNilUsesHelmValues: false,
        resources: { requests: { cpu: "200m", memory: "1Gi" }, limits: { memory: "4Gi" } },
        ...(o.storage
          ? {
              storageSpec: {
                volumeClaimTemplate: {
                  spec: {
                    accessModes: ["ReadWriteOnce"],
                    resources: { requests: { storage: o.storage.size } },
                    ...(o.storage.storageClassName ? { storageClassName: o.storage.storageClassName } : {}),
                  },
                },
              },
            }
          : {}),
      },
    },
    alertmanager: { alertmanagerSpec: { replicas: o.highAvailability ? 3 : 1 } },
    grafana: {
      admin: { existingSecret: o.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      sidecar: { dashboards: { enabled: true, label, labelValue, searchNamespace: "ALL" } },
      defaultDashboardsEnabled: true,
    },
    prometheusOperator: { admissionWebhooks: { enabled: true } },
  };
}
