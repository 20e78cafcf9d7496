import type * as pulumi from "@pulumi/pulumi";
import { alertmanagerConfig, type AlertRouting } from "./alertmanager.js";
import { grafanaDashboardLabel } from "./monitors.js";

/** Where the Alertmanager pod finds the files its config names (SMTP password, chat webhook URL, heartbeat credential). */
export const alertmanagerSecretsPath = "/etc/alertmanager/secrets";

/** Key Vault secrets mounted into a pod by the Secrets Store CSI driver (AKS add-on), through a SecretProviderClass. */
export interface CsiSecretsMount {
  /** Name of the SecretProviderClass in the pod's namespace. */
  readonly secretProviderClass: string;
  /** Workload identity client id the pod's service account is federated with (it reads the vault). */
  readonly clientId: pulumi.Input<string>;
}

export interface KubePrometheusStackOptions {
  /** Two Prometheus and three Alertmanager replicas. */
  readonly highAvailability: boolean;
  /** How long Prometheus keeps samples. */
  readonly retention: string;
  /** Persistent volume per Prometheus replica; undefined keeps data in an emptyDir. */
  readonly storage?: { readonly size: string; readonly storageClassName?: string };
  /** Secret holding Grafana's admin user and password (keys admin-user, admin-password). */
  readonly grafanaAdminSecret: string;
  /** Who Alertmanager tells, and how; file paths under alertmanagerSecretsPath. */
  readonly alertRouting: AlertRouting;
  /** Mount the routing's secret files from Key Vault (AKS); absent: the routing names no secret file (minikube). */
  readonly alertmanagerSecrets?: CsiSecretsMount;
}

function alertmanagerValues(o: KubePrometheusStackOptions): Record<string, unknown> {
  const kv = o.alertmanagerSecrets;
  return {
    config: alertmanagerConfig(o.alertRouting),
    ...(kv ? { serviceAccount: { annotations: { "azure.workload.identity/client-id": kv.clientId } } } : {}),
    alertmanagerSpec: {
      replicas: o.highAvailability ? 3 : 1,
      ...(kv
        ? {
            volumes: [
              {
                name: "secrets",
                csi: {
                  driver: "secrets-store.csi.k8s.io",
                  readOnly: true,
                  volumeAttributes: { secretProviderClass: kv.secretProviderClass },
                },
              },
            ],
            volumeMounts: [{ name: "secrets", mountPath: alertmanagerSecretsPath, readOnly: true }],
          }
        : {}),
    },
  };
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
    alertmanager: alertmanagerValues(o),
    grafana: {
      admin: { existingSecret: o.grafanaAdminSecret, userKey: "admin-user", passwordKey: "admin-password" },
      sidecar: { dashboards: { enabled: true, label, labelValue, searchNamespace: "ALL" } },
      defaultDashboardsEnabled: true,
    },
    prometheusOperator: { admissionWebhooks: { enabled: true } },
  };
}
