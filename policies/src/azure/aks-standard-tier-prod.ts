import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";

export const aksStandardTierProd = resourcePolicy({
  name: "azure-aks-standard-tier-prod",
  description: "In prod, the AKS control plane runs on the Standard (or Premium) tier, which carries the uptime SLA.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("checkov", "CKV_AZURE_170", "Ensure that AKS use the Paid Sku for its SLA"),
    source("aks-baseline", "Reliability/uptime SLA", "Standard tier control plane"),
  ],
  url: "https://learn.microsoft.com/azure/aks/free-standard-pricing-tiers",
  remediationSteps: 'Set sku: { name: "Base", tier: "Standard" }.',
  tags: ["azure", "aks", "availability", "prod-only"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    const tier = cluster.sku?.tier;
    if (!tier || !["standard", "premium"].includes(String(tier).toLowerCase()))
      report(`the prod cluster must use the Standard or Premium tier; sku.tier is ${tier === undefined ? "not set (Free)" : `"${tier}"`}.`);
  },
});
