import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

const engines = ["azure", "calico", "cilium"];

export const aksNetworkPolicy = resourcePolicy({
  name: "azure-aks-network-policy",
  description: `The AKS cluster enforces Kubernetes NetworkPolicies (networkProfile.networkPolicy is ${engines.join(", ")}).`,
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "5.4.4", "Ensure Network Policy is Enabled and set as appropriate"),
    source("checkov", "CKV_AZURE_7", "Ensure AKS cluster has Network Policy configured"),
    source("aks-baseline", "Network/network policy", "Network policy engine enabled at cluster creation"),
  ],
  url: "https://learn.microsoft.com/azure/aks/use-network-policies",
  remediationSteps: `Set networkProfile.networkPolicy to one of ${engines.join(", ")} (cilium with Azure CNI overlay powered by Cilium).`,
  tags: ["azure", "aks", "security", "network"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    const engine = cluster.networkProfile?.networkPolicy;
    if (!engine || !engines.includes(String(engine).toLowerCase()))
      report(
        `the cluster must enforce network policies: networkProfile.networkPolicy is ${engine === undefined ? "not set" : `"${engine}"`}.`,
      );
  },
});
