import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

const anywhere = new Set(["0.0.0.0/0", "0.0.0.0", "*", "internet", "any"]);

export const aksApiServerAccess = resourcePolicy({
  name: "azure-aks-api-server-access",
  description: "The AKS API server is not open to the internet: the cluster is private, or authorizedIPRanges lists specific ranges.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "5.4.1", "Restrict Access to the Control Plane Endpoint"),
    source("checkov", "CKV_AZURE_6", "Ensure AKS has an API Server Authorized IP Ranges enabled"),
    source("checkov", "CKV_AZURE_115", "Ensure that AKS enables private clusters"),
  ],
  url: "https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges",
  remediationSteps:
    "Set apiServerAccessProfile.enablePrivateCluster: true, or apiServerAccessProfile.authorizedIPRanges to the CI runners' and operators' CIDRs.",
  tags: ["azure", "aks", "security", "network"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    const access = cluster.apiServerAccessProfile;
    if (access?.enablePrivateCluster === true) return;
    const ranges = (access?.authorizedIPRanges ?? []).map(String);
    if (ranges.length === 0)
      report("the API server is reachable from the internet: set apiServerAccessProfile.enablePrivateCluster or authorizedIPRanges.");
    const open = ranges.filter((r) => anywhere.has(r.toLowerCase()));
    if (open.length > 0) report(`apiServerAccessProfile.authorizedIPRanges allows any address (${open.join(", ")}).`);
  },
});
