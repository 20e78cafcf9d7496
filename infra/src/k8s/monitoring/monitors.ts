import type { ServiceSpec } from "@tasks/catalog";
import { appLabels, namespaces, partOfLabels, selectorLabels } from "../names.js";
import { alertRules } from "./rules.js";
import { dashboardJson, dashboards } from "./dashboards.js";

const labels = { ...partOfLabels };

/** A ServiceMonitor per service: prom-client metrics at /metrics on the app port (the Service's "http" port). */
export function serviceMonitorManifests(namespace: string, services: readonly ServiceSpec[]) {
  return services.map((s) => ({
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: s.name, namespace, labels: appLabels(s.name) },
    spec: {
      selector: { matchLabels: selectorLabels(s.name) },
      namespaceSelector: { matchNames: [namespace] },
      endpoints: [{ port: "http", path: "/metrics", interval: "30s", scrapeTimeout: "10s" }],
    },
  }));
}

/**
 * PodMonitors for Dapr: every sidecar in the workload namespace (the injector names its metrics port
 * "dapr-metrics"; daprd serves Prometheus text at the root path) and the control plane in dapr-system.
 */
export function daprPodMonitorManifests(namespace: string) {
  return [
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "dapr-sidecars", namespace, labels },
      spec: {
        selector: { matchLabels: { ...partOfLabels } },
        namespaceSelector: { matchNames: [namespace] },
        podMetricsEndpoints: [{ port: "dapr-metrics", path: "/", interval: "30s" }],
      },
    },
    {
      apiVersion: "monitoring.coreos.com/v1",
      kind: "PodMonitor",
      metadata: { name: "dapr-control-plane", namespace: namespaces.dapr, labels },
      spec: {
        selector: { matchLabels: { "app.kubernetes.io/part-of": "dapr" } },
        namespaceSelector: { matchNames: [namespaces.dapr] },
        podMetricsEndpoints: [{ port: "metrics", path: "/", interval: "30s" }],
      },
    },
  ];
}

export function prometheusRuleManifest(namespace: string) {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "PrometheusRule",
    metadata: { name: "tasks-alerts", namespace, labels },
    spec: { groups: [{ name: "tasks.rules", interval: "30s", rules: alertRules.map((r) => ({ ...r })) }] },
  };
}

/** Label the Grafana sidecar watches for dashboards. */
export const grafanaDashboardLabel = { grafana_dashboard: "1" } as const;

/** One ConfigMap per dashboard, picked up by Grafana's dashboard sidecar through its label. */
export function dashboardConfigMapManifests() {
  return dashboards.map((d) => ({
    apiVersion: "v1" as const,
    kind: "ConfigMap" as const,
    metadata: { name: `dashboard-${d.uid}`, namespace: namespaces.monitoring, labels: { ...labels, ...grafanaDashboardLabel } },
    data: { [`${d.uid}.json`]: JSON.stringify(dashboardJson(d), null, 2) },
  }));
}
