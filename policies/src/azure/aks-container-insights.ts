import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { addonProfile, azureTypes, propsOf } from "../lib/azure.js";

export const aksContainerInsights = resourcePolicy({
  name: "azure-aks-container-insights",
  description: "The AKS cluster sends container logs and metrics to Log Analytics (Container Insights, the omsagent add-on).",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("checkov", "CKV_AZURE_4", "Ensure AKS logging to Azure Monitoring is Configured"),
    source("aks-baseline", "Operations/Container Insights", "Monitor the cluster with Azure Monitor Container Insights"),
  ],
  url: "https://learn.microsoft.com/azure/azure-monitor/containers/container-insights-overview",
  remediationSteps: "Set addonProfiles.omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: <workspace id> } }.",
  tags: ["azure", "aks", "security", "monitoring"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    const oms = addonProfile(cluster, "omsagent");
    if (oms?.enabled !== true) report("the cluster must enable Container Insights (addonProfiles.omsagent.enabled: true).");
    else if (!Object.keys(oms.config ?? {}).some((k) => k.toLowerCase() === "loganalyticsworkspaceresourceid"))
      report("the omsagent add-on must name its Log Analytics workspace (config.logAnalyticsWorkspaceResourceID).");
  },
});
