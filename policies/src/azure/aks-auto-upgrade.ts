import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const aksAutoUpgrade = resourcePolicy({
  name: "azure-aks-auto-upgrade",
  description: "The AKS cluster upgrades itself: an auto-upgrade channel and a node OS upgrade channel are chosen.",
  enforcementLevel: "advisory",
  severity: "medium",
  sources: [
    source("checkov", "CKV_AZURE_171", "Ensure AKS cluster upgrade channel is chosen"),
    source("aks-baseline", "Operations/upgrades", "Auto-upgrade and node OS upgrade channels inside a maintenance window"),
  ],
  url: "https://learn.microsoft.com/azure/aks/auto-upgrade-cluster",
  remediationSteps:
    'Set autoUpgradeProfile: { upgradeChannel: "patch" (or stable), nodeOSUpgradeChannel: "NodeImage" } and a maintenance configuration.',
  tags: ["azure", "aks", "security", "operations"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    const profile = cluster.autoUpgradeProfile;
    const channel = profile?.upgradeChannel;
    if (!channel || String(channel).toLowerCase() === "none")
      report("the cluster has no auto-upgrade channel (autoUpgradeProfile.upgradeChannel).");
    const nodeOs = profile?.nodeOSUpgradeChannel;
    if (!nodeOs || ["none", "unmanaged"].includes(String(nodeOs).toLowerCase()))
      report("the cluster has no node OS upgrade channel (autoUpgradeProfile.nodeOSUpgradeChannel).");
  },
});
