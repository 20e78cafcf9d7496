import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import type { ServiceSpec } from "@tasks/catalog";
import { charts } from "../charts.js";
import { helmRelease } from "../helm.js";
import { namespaces, partOfLabels } from "../names.js";
import { dashboards } from "./dashboards.js";
import { kubePrometheusStackValues, type KubePrometheusStackOptions } from "./kube-prometheus-stack.js";
import { dashboardConfigMapManifests, daprPodMonitorManifests, prometheusRuleManifest, serviceMonitorManifests } from "./monitors.js";
import { unknownMetricsIn } from "./promql.js";
import { alertRules } from "./rules.js";

export const grafanaAdminSecretName = "grafana-admin";

export interface MonitoringArgs extends Omit<KubePrometheusStackOptions, "grafanaAdminSecret"> {
  /** Namespace of the workloads the monitors watch. */
  readonly workloadNamespace: string;
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

/**
 * kube-prometheus-stack plus what the program adds to it: monitors for every service and for Dapr,
 * the alert rules and the dashboards. The CRDs come with the release, so the monitors wait for it.
 */
export class Monitoring extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
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
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: charts.kubePrometheusStack,
        releaseName: "kube-prometheus-stack",
        namespace: namespaces.monitoring,
        values: kubePrometheusStackValues({ ...args, grafanaAdminSecret: grafanaAdminSecretName }),
      },
      { parent: this, dependsOn: [adminSecret, ...(args.dependsOn ?? [])] },
    );
    const after = { parent: this, dependsOn: [this.release] };
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
