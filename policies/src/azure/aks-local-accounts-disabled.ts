import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const aksLocalAccountsDisabled = resourcePolicy({
  name: "azure-aks-local-accounts-disabled",
  description: "AKS local accounts (the static cluster-admin kubeconfig) are disabled; every access goes through Microsoft Entra ID.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("checkov", "CKV_AZURE_141", "Ensure AKS local admin account is disabled"),
    source("aks-baseline", "Identity/disable local accounts", "disableLocalAccounts: true"),
  ],
  url: "https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad",
  remediationSteps: "Set disableLocalAccounts: true and use Entra ID credentials (kubelogin) for the Kubernetes provider.",
  tags: ["azure", "aks", "security", "identity"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    if (cluster.disableLocalAccounts !== true) report("the cluster must set disableLocalAccounts: true.");
  },
});
