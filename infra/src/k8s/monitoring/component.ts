import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { platformSecretNames, secretNames, type ServiceSpec } from "@tasks/catalog";
import { charts } from "../charts.js";
import { helmRelease } from "../helm.js";
import { namespaces, partOfLabels } from "../names.js";
import { secretProviderClassManifest, type KeyVaultAccess } from "../secret-provider-class.js";
import { alertRoutingProblems, type AlertRouting } from "./alertmanager.js";
import { dashboards } from "./dashboards.js";
import { alertmanagerSecretsPath, kubePrometheusStackValues, type KubePrometheusStackOptions } from "./kube-prometheus-stack.js";
import { lagExporterValues } from "./lag-exporter.js";
import { traceCollectorValues } from "./trace-collector.js";
import { dashboardConfigMapManifests, daprPodMonitorManifests, prometheusRuleManifest, serviceMonitorManifests } from "./monitors.js";
import { unknownMetricsIn } from "./promql.js";
import { alertRules } from "./rules.js";

export const grafanaAdminSecretName = "grafana-admin";

/** Name of the SecretProviderClass the monitoring pods mount Key Vault secrets through (AKS). */
export const monitoringSecretsClass = "monitoring-secrets";
/** The Secret the CSI driver keeps in sync for the lag exporter's chart (keys username, password). */
export const lagExporterSaslSecret = "kafka-lag-exporter-sasl";

export interface MonitoringArgs extends Omit<KubePrometheusStackOptions, "grafanaAdminSecret" | "alertRouting" | "alertmanagerSecrets"> {
  /** Namespace of the workloads the monitors watch. */
  readonly workloadNamespace: string;
  /** Who the alerts reach: email through the relay (its password from Key Vault when `keyVault` is set), and on AKS the chat webhook and the heartbeat. */
  readonly alerting: {
    readonly email: readonly string[];
    readonly from: string;
    readonly smtp: { readonly host: string; readonly port: number; readonly username?: string };
    readonly heartbeat?: { readonly url: string; readonly authorizationType: string };
  };
  /** The broker the lag exporter reads (Event Hubs with SASL from Key Vault when `keyVault` is set). */
  readonly broker: { readonly bootstrapServers: pulumi.Input<string> };
  /** Where the trace collector sends traces. */
  readonly traces: "azuremonitor" | "debug";
  /** AKS: the vault the monitoring pods read their secrets from, with the monitoring identity. */
  readonly keyVault?: KeyVaultAccess;
  readonly services: readonly ServiceSpec[];
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Every rule expression and dashboard query that uses a metric nobody exports; empty means all are known. */
export function unknownMetricUses(): string[] {
  const uses = [
    ...alertRules.map((r) => ({ where: `rule ${r.alert}`, expr: r.expr })),
    ...dashboards.flatMap((d) =>
      d.panels.flatMap((p) => p.queries.map((q) => ({ where: `dashboard ${d.uid} panel "${p.title}"`, expr: q.expr }))),
    ),
  ];
  return uses.flatMap((u) => unknownMetricsIn(u.expr).map((name) => `${u.where}: ${name}`));
}

/** The Alertmanager routing of the args: files under the Key Vault mount where there is one. */
export function alertRouting(args: Pick<MonitoringArgs, "alerting" | "keyVault">): AlertRouting {
  const a = args.alerting;
  const file = (secret: string) => `${alertmanagerSecretsPath}/${secret}`;
  const kv = args.keyVault !== undefined;
  return {
    email: {
      to: a.email,
      from: a.from,
      smarthost: `${a.smtp.host}:${a.smtp.port}`,
      requireTls: kv,
      ...(kv && a.smtp.username ? { auth: { username: a.smtp.username, passwordFile: file(secretNames.smtpPassword) } } : {}),
    },
    ...(kv ? { chatWebhookUrlFile: file(platformSecretNames.alertChatWebhookUrl) } : {}),
    ...(kv && a.heartbeat
      ? {
          heartbeat: {
            url: a.heartbeat.url,
            authorization: { type: a.heartbeat.authorizationType, credentialsFile: file(platformSecretNames.alertHeartbeatToken) },
          },
        }
      : {}),
  };
}

/**
 * kube-prometheus-stack plus what the program adds to it: monitors for every service and for Dapr,
 * the alert rules, the dashboards, the broker's lag exporter and the trace collector; on AKS the Key Vault
 * secrets the monitoring pods read. The CRDs come with the release, so the monitors wait for it.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  readonly lagExporter: k8s.helm.v3.Release;
  readonly traceCollector: k8s.helm.v3.Release;
  readonly grafanaAdminPassword: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:Monitoring", name, {}, opts);
    const unknown = unknownMetricUses();
    if (unknown.length)
      throw new pulumi.ResourceError(`alert rules and dashboards use metrics nobody exports: ${unknown.join("; ")}`, this);

    const password = new random.RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
    this.grafanaAdminPassword = pulumi.secret(password.result);
    const adminSecret = new k8s.core.v1.Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: grafanaAdminSecretName, namespace: namespaces.monitoring, labels: { ...partOfLabels } },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": password.result },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    // helm.v3.Release installs the chart's CRDs before its objects (the failure in pulumi-kubernetes#1712
    // was fixed before Release went GA), so the values stay a visible input instead of a v4 Chart.
    const kv = args.keyVault;
    const routing = alertRouting(args);
    const problems = alertRoutingProblems(routing);
    if (problems.length) throw new pulumi.ResourceError(`alerting: ${problems.join("; ")}`, this);
    const mount = kv ? { secretProviderClass: monitoringSecretsClass, clientId: kv.clientId } : undefined;
    const secretsClass = kv
      ? [
          new k8s.apiextensions.CustomResource(
            `${name}-secrets`,
            secretProviderClassManifest(
              monitoringSecretsClass,
              namespaces.monitoring,
              kv,
              [
                secretNames.smtpPassword,
                platformSecretNames.alertChatWebhookUrl,
                platformSecretNames.alertHeartbeatToken,
                platformSecretNames.appInsightsConnectionString,
                platformSecretNames.brokerSaslUsername,
                platformSecretNames.brokerListenConnectionString,
              ],
              [
                {
                  secretName: lagExporterSaslSecret,
                  keys: { username: platformSecretNames.brokerSaslUsername, password: platformSecretNames.brokerListenConnectionString },
                },
              ],
            ),
            { parent: this, dependsOn: args.dependsOn },
          ),
        ]
      : [];
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: charts.kubePrometheusStack,
        releaseName: "kube-prometheus-stack",
        namespace: namespaces.monitoring,
        values: kubePrometheusStackValues({
          ...args,
          grafanaAdminSecret: grafanaAdminSecretName,
          alertRouting: routing,
          ...(mount ? { alertmanagerSecrets: mount } : {}),
        }),
      },
      { parent: this, dependsOn: [adminSecret, ...secretsClass, ...(args.dependsOn ?? [])] },
    );
    const after = { parent: this, dependsOn: [this.release] };
    this.lagExporter = helmRelease(
      `${name}-lag-exporter`,
      {
        chart: charts.kafkaExporter,
        releaseName: "kafka-lag-exporter",
        namespace: namespaces.monitoring,
        values: lagExporterValues({ brokers: args.broker.bootstrapServers, ...(kv ? { saslSecretName: lagExporterSaslSecret } : {}) }),
      },
      after,
    );
    this.traceCollector = helmRelease(
      `${name}-trace-collector`,
      {
        chart: charts.otelCollector,
        releaseName: "otel-collector",
        namespace: namespaces.monitoring,
        values: traceCollectorValues({
          exporter: args.traces,
          highAvailability: args.highAvailability,
          ...(mount ? { keyVault: mount } : {}),
        }),
      },
      { parent: this, dependsOn: [...secretsClass, ...(args.dependsOn ?? [])] },
    );
    for (const m of serviceMonitorManifests(args.workloadNamespace, args.services)) {
      new k8s.apiextensions.CustomResource(`${name}-servicemonitor-${m.metadata.name}`, m, after);
    }
    for (const m of daprPodMonitorManifests(args.workloadNamespace)) {
      new k8s.apiextensions.CustomResource(`${name}-podmonitor-${m.metadata.name}`, m, after);
    }
    const rule = prometheusRuleManifest(namespaces.monitoring);
    new k8s.apiextensions.CustomResource(`${name}-rules-${rule.metadata.name}`, rule, after);
    for (const cm of dashboardConfigMapManifests()) {
      new k8s.core.v1.ConfigMap(`${name}-${cm.metadata.name}`, cm, { parent: this, dependsOn: args.dependsOn });
    }
    this.registerOutputs({ grafanaAdminPassword: this.grafanaAdminPassword });
  }
}
