import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const aksWorkloadIdentity = resourcePolicy({
  name: "azure-aks-workload-identity",
  description:
    "The AKS cluster enables Microsoft Entra Workload ID, so pods use federated managed identities instead of stored credentials.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("aks-baseline", "Identity/workload identity", "securityProfile.workloadIdentity.enabled: true"),
    source("cis-aks", "5.2.1", "Prefer using dedicated AKS Service Accounts"),
  ],
  url: "https://learn.microsoft.com/azure/aks/workload-identity-overview",
  remediationSteps: "Set securityProfile: { workloadIdentity: { enabled: true } } (with the OIDC issuer on).",
  tags: ["azure", "aks", "security", "identity"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    if (cluster.securityProfile?.workloadIdentity?.enabled !== true)
      report("the cluster must enable workload identity (securityProfile.workloadIdentity.enabled: true).");
  },
});
