import * as pulumi from "@pulumi/pulumi";
import { Component } from "@pulumi/azure-native/applicationinsights/component.js";
import type { AzureScope } from "../scope.js";

export interface AppInsightsArgs extends AzureScope {
  /** The Log Analytics workspace the traces are stored in (workspace-based Application Insights). */
  readonly workspaceId: pulumi.Input<string>;
}

/** Workspace-based Application Insights: where the trace collector exports the Dapr sidecars' spans. */
export class AppInsights extends pulumi.ComponentResource {
  /** The connection string the collector exports with (kept in Key Vault, never in a manifest); secret. */
  readonly connectionString: pulumi.Output<string>;

  constructor(name: string, args: AppInsightsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:AppInsights", name, {}, opts);
    const component = new Component(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        kind: "web",
        applicationType: "web",
        workspaceResourceId: args.workspaceId,
        ingestionMode: "LogAnalytics",
        tags: args.tags,
      },
      { parent: this },
    );
    this.connectionString = pulumi.secret(component.connectionString);
    this.registerOutputs({});
  }
}
