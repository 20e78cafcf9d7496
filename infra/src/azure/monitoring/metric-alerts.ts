import * as pulumi from "@pulumi/pulumi";
import { ActionGroup } from "@pulumi/azure-native/monitor/actionGroup.js";
import { MetricAlert } from "@pulumi/azure-native/monitor/metricAlert.js";
import { childName } from "../../naming.js";
import type { AzureScope } from "../scope.js";

/** One Azure Monitor metric alert: a platform metric of one resource against a static threshold. */
export interface MetricAlertSpec {
  readonly name: string;
  readonly description: string;
  /** Azure Monitor severity: 0 critical … 4 verbose. */
  readonly severity: 0 | 1 | 2 | 3;
  readonly metricNamespace: string;
  readonly metricName: string;
  readonly aggregation: "Average" | "Maximum" | "Minimum" | "Total" | "Count";
  readonly operator: "GreaterThan" | "GreaterThanOrEqual" | "LessThan" | "LessThanOrEqual";
  readonly threshold: number;
  readonly dimensions?: readonly { readonly name: string; readonly operator: "Include" | "Exclude"; readonly values: readonly string[] }[];
  /** ISO 8601 window and evaluation frequency. @default PT5M, PT1M */
  readonly windowSize?: string;
  readonly evaluationFrequency?: string;
}

/** The Azure-level signals the platform alerts on, for each resource kind (Event Hubs, Postgres, Key Vault, AKS). */
export const azureAlertSpecs = {
  eventHubs: [
    {
      name: "eventhubs-throttled",
      description: "Event Hubs throttles requests: the namespace is out of throughput units.",
      severity: 1,
      metricNamespace: "Microsoft.EventHub/namespaces",
      metricName: "ThrottledRequests",
      aggregation: "Total",
      operator: "GreaterThan",
      threshold: 0,
    },
    {
      name: "eventhubs-server-errors",
      description: "Event Hubs answers with server errors.",
      severity: 1,
      metricNamespace: "Microsoft.EventHub/namespaces",
      metricName: "ServerErrors",
      aggregation: "Total",
      operator: "GreaterThan",
      threshold: 0,
    },
  ],
  postgres: [
    {
      name: "postgres-cpu",
      description: "Postgres CPU above 80% for 15 minutes.",
      severity: 2,
      metricNamespace: "Microsoft.DBforPostgreSQL/flexibleServers",
      metricName: "cpu_percent",
      aggregation: "Average",
      operator: "GreaterThan",
      threshold: 80,
      windowSize: "PT15M",
    },
    {
      name: "postgres-storage",
      description: "Postgres storage above 85% used.",
      severity: 1,
      metricNamespace: "Microsoft.DBforPostgreSQL/flexibleServers",
      metricName: "storage_percent",
      aggregation: "Average",
      operator: "GreaterThan",
      threshold: 85,
    },
    {
      name: "postgres-connections",
      description: "Postgres has more than 400 active connections (the services' pools add up to far fewer).",
      severity: 2,
      metricNamespace: "Microsoft.DBforPostgreSQL/flexibleServers",
      metricName: "active_connections",
      aggregation: "Maximum",
      operator: "GreaterThan",
      threshold: 400,
    },
  ],
  keyVault: [
    {
      name: "keyvault-availability",
      description: "Key Vault availability below 99.9%: sidecars cannot read secrets.",
      severity: 1,
      metricNamespace: "Microsoft.KeyVault/vaults",
      metricName: "Availability",
      aggregation: "Average",
      operator: "LessThan",
      threshold: 99.9,
    },
  ],
  aks: [
    {
      name: "aks-node-not-ready",
      description: "An AKS node is not Ready.",
      severity: 1,
      metricNamespace: "Microsoft.ContainerService/managedClusters",
      metricName: "kube_node_status_condition",
      aggregation: "Average",
      operator: "GreaterThan",
      threshold: 0,
      dimensions: [
        { name: "condition", operator: "Include", values: ["Ready"] },
        { name: "status2", operator: "Include", values: ["NotReady", "Unknown"] },
      ],
      windowSize: "PT5M",
    },
  ],
} as const satisfies Record<string, readonly MetricAlertSpec[]>;

export interface AzureAlertsArgs extends Pick<AzureScope, "resourceGroupName" | "tags"> {
  /** The people: the same addresses Alertmanager emails. */
  readonly email: readonly string[];
  /** The chat webhook Alertmanager posts to (a secret). */
  readonly webhookUrl?: pulumi.Input<string>;
  /** Resource ids the alerts watch. */
  readonly targets: {
    readonly eventHubs: pulumi.Input<string>;
    readonly postgres: pulumi.Input<string>;
    readonly keyVault: pulumi.Input<string>;
    readonly aks: pulumi.Input<string>;
  };
}

/**
 * An action group (email and the chat webhook, the people Alertmanager tells) and a metric alert per Azure-level
 * signal that the in-cluster Prometheus cannot see: Event Hubs throttling and server errors, Postgres CPU,
 * storage and connections, Key Vault availability, AKS node readiness.
 */
export class AzureAlerts extends pulumi.ComponentResource {
  readonly actionGroupId: pulumi.Output<string>;

  constructor(name: string, args: AzureAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:AzureAlerts", name, {}, opts);
    if (args.email.length === 0) throw new pulumi.ResourceError("email: at least one address receives the alerts", this);
    const group = new ActionGroup(
      childName(name, "people"),
      {
        resourceGroupName: args.resourceGroupName,
        location: "Global",
        groupShortName: "tasks-ops",
        enabled: true,
        emailReceivers: args.email.map((address, i) => ({ name: `email-${i + 1}`, emailAddress: address, useCommonAlertSchema: true })),
        ...(args.webhookUrl ? { webhookReceivers: [{ name: "chat", serviceUri: args.webhookUrl, useCommonAlertSchema: true }] } : {}),
        tags: args.tags,
      },
      { parent: this },
    );
    for (const [kind, specs] of Object.entries(azureAlertSpecs) as [keyof AzureAlertsArgs["targets"], readonly MetricAlertSpec[]][]) {
      for (const spec of specs) {
        new MetricAlert(
          childName(name, spec.name),
          {
            resourceGroupName: args.resourceGroupName,
            location: "global",
            description: spec.description,
            severity: spec.severity,
            enabled: true,
            scopes: [args.targets[kind]],
            evaluationFrequency: spec.evaluationFrequency ?? "PT1M",
            windowSize: spec.windowSize ?? "PT5M",
            autoMitigate: true,
            criteria: {
              odataType: "Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
              allOf: [
                {
                  criterionType: "StaticThresholdCriterion",
                  name: spec.metricName,
                  metricNamespace: spec.metricNamespace,
                  metricName: spec.metricName,
                  timeAggregation: spec.aggregation,
                  operator: spec.operator,
                  threshold: spec.threshold,
                  ...(spec.dimensions ? { dimensions: spec.dimensions.map((d) => ({ ...d, values: [...d.values] })) } : {}),
                },
              ],
            },
            actions: [{ actionGroupId: group.id }],
            tags: args.tags,
          },
          { parent: this },
        );
      }
    }
    this.actionGroupId = group.id;
    this.registerOutputs({});
  }
}
