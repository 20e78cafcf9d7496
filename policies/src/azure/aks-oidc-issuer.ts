import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const aksOidcIssuer = resourcePolicy({
  name: "azure-aks-oidc-issuer",
  description: "The AKS cluster publishes an OIDC issuer, which workload identity federation trusts.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("aks-baseline", "Identity/OIDC issuer", "oidcIssuerProfile.enabled: true for workload identity")],
  url: "https://learn.microsoft.com/azure/aks/use-oidc-issuer",
  remediationSteps: "Set oidcIssuerProfile: { enabled: true }.",
  tags: ["azure", "aks", "security", "identity"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    if (cluster.oidcIssuerProfile?.enabled !== true) report("the cluster must enable the OIDC issuer (oidcIssuerProfile.enabled: true).");
  },
});
