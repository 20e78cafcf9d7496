import * as pulumi from "@pulumi/pulumi";
import { DataCollectionRule } from "@pulumi/azure-native/monitor/dataCollectionRule.js";
import { Workspace } from "@pulumi/azure-native/operationalinsights/workspace.js";
import { childName } from "../../naming.js";
import type { AzureScope } from "../scope.js";

export interface LogAnalyticsArgs extends AzureScope {
  /** Days logs are kept. @default 30 */
  readonly retentionDays?: number;
}

/** The stream Container Insights sends through its data collection rule (Azure Monitor docs, container-insights-data-collection-configure). */
export const containerInsightsStream = "Microsoft-ContainerInsights-Group-Default";

/**
 * The Log Analytics workspace and the Container Insights data collection rule; the AKS component
 * associates the rule with the cluster and points its monitoring add-on at the workspace.
 */
export class LogAnalytics extends pulumi.ComponentResource {
  readonly workspaceId: pulumi.Output<string>;
  readonly containerInsightsRuleId: pulumi.Output<string>;

  constructor(name: string, args: LogAnalyticsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:LogAnalytics", name, {}, opts);
    const { retentionDays } = { retentionDays: 30, ...args };
    if (!Number.isInteger(retentionDays) || retentionDays < 30 || retentionDays > 730) {
      throw new pulumi.ResourceError(`LogAnalytics "${name}": retentionDays must be an integer 30..730, got ${retentionDays}`, this);
    }
    const workspace = new Workspace(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        sku: { name: "PerGB2018" },
        retentionInDays: retentionDays,
        tags: args.tags,
      },
      { parent: this },
    );
    const rule = new DataCollectionRule(
      childName(name, "container-insights"),
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "Linux",
        description: "Container Insights: container logs (v2), inventory and performance of the AKS cluster",
        dataSources: {
          extensions: [
            {
              name: "ContainerInsightsExtension",
              extensionName: "ContainerInsights",
              streams: [containerInsightsStream],
              extensionSettings: { dataCollectionSettings: { interval: "1m", namespaceFilteringMode: "Off", enableContainerLogV2: true } },
            },
          ],
        },
        destinations: { logAnalytics: [{ name: "workspace", workspaceResourceId: workspace.id }] },
        dataFlows: [{ streams: [containerInsightsStream], destinations: ["workspace"] }],
        tags: args.tags,
      },
      { parent: this },
    );
    this.workspaceId = workspace.id;
    this.containerInsightsRuleId = rule.id;
    this.registerOutputs({ workspaceId: this.workspaceId });
  }
}
