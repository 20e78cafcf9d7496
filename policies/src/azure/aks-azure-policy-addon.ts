import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { addonProfile, azureTypes, propsOf } from "../lib/azure.js";

export const aksAzurePolicyAddon = resourcePolicy({
  name: "azure-aks-azure-policy-addon",
  description: "The Azure Policy add-on runs in the AKS cluster, so the Pod Security restricted initiative is enforced at admission too.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("checkov", "CKV_AZURE_116", "Ensure that AKS uses Azure Policies Add-on"),
    source("aks-baseline", "Governance/Azure Policy", "Azure Policy add-on with the restricted pod security initiative"),
  ],
  url: "https://learn.microsoft.com/azure/aks/use-azure-policy",
  remediationSteps: "Set addonProfiles.azurepolicy: { enabled: true }.",
  tags: ["azure", "aks", "security", "governance"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    if (addonProfile(cluster, "azurepolicy")?.enabled !== true)
      report("the cluster must enable the Azure Policy add-on (addonProfiles.azurepolicy.enabled: true).");
  },
});
