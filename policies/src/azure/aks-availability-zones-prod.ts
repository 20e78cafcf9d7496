import { resourcePolicy, source } from "../lib/metadata.js";
import { nodePoolsOf } from "../lib/azure.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";

export const requiredZones = ["1", "2", "3"] as const;

export const aksAvailabilityZonesProd = resourcePolicy({
  name: "azure-aks-availability-zones-prod",
  description: "In prod, every AKS node pool spans availability zones 1, 2 and 3.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("aks-baseline", "Reliability/availability zones", "Node pools across availability zones 1, 2 and 3"),
    source("azure", "WAF AKS reliability", "Use availability zones to maximize resilience"),
  ],
  url: "https://learn.microsoft.com/azure/aks/availability-zones",
  remediationSteps: 'Set availabilityZones: ["1", "2", "3"] on every agent pool profile and AgentPool.',
  tags: ["azure", "aks", "availability", "prod-only"],
  validateResource: (args, report) => {
    const pools = nodePoolsOf(args);
    if (!pools) return args.notApplicable("applies to AKS clusters and node pools");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    for (const pool of pools) {
      const zones = (pool.availabilityZones ?? []).map(String);
      const missing = requiredZones.filter((z) => !zones.includes(z));
      if (missing.length > 0) report(`node pool "${pool.name}" must run in zones 1, 2 and 3; it is missing zone ${missing.join(", ")}.`);
    }
  },
});
