import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const aksEntraRbac = resourcePolicy({
  name: "azure-aks-entra-rbac",
  description:
    "The AKS cluster has Kubernetes RBAC on, managed Microsoft Entra ID integration and Azure RBAC for Kubernetes authorization.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "5.5.1", "Manage Kubernetes RBAC users with Azure AD"),
    source("cis-aks", "5.5.2", "Use Azure RBAC for Kubernetes Authorization"),
    source("checkov", "CKV_AZURE_5", "Ensure RBAC is enabled on AKS clusters"),
    source("aks-baseline", "Identity/Entra ID integration", "Managed Entra ID with Azure RBAC"),
  ],
  url: "https://learn.microsoft.com/azure/aks/manage-azure-rbac",
  remediationSteps: "Leave enableRBAC true and set aadProfile: { managed: true, enableAzureRBAC: true }.",
  tags: ["azure", "aks", "security", "identity"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    if (cluster.enableRBAC === false) report("the cluster must keep Kubernetes RBAC on (enableRBAC is false).");
    const aad = cluster.aadProfile;
    if (!aad) report("the cluster must integrate Microsoft Entra ID (aadProfile is not set).");
    else {
      if (aad.managed === false) report("aadProfile.managed must be true (legacy Entra integration).");
      if (aad.enableAzureRBAC !== true) report("aadProfile.enableAzureRBAC must be true so Azure RBAC authorizes Kubernetes requests.");
    }
  },
});
