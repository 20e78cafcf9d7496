import { resourcePolicy, source } from "../lib/metadata.js";
import { nodePoolsOf } from "../lib/azure.js";

export const criticalAddonsTaint = "CriticalAddonsOnly=true:NoSchedule";

export const aksSystemPoolCriticalOnly = resourcePolicy({
  name: "azure-aks-system-pool-critical-only",
  description: `System node pools are tainted ${criticalAddonsTaint}, so application pods run on user pools.`,
  enforcementLevel: "advisory",
  severity: "medium",
  sources: [
    source("checkov", "CKV_AZURE_232", "Ensure that only critical system pods run on system nodes"),
    source("aks-baseline", "Compute/system node pool", "System pool tainted CriticalAddonsOnly"),
  ],
  url: "https://learn.microsoft.com/azure/aks/use-system-pools",
  remediationSteps: `Add nodeTaints: ["${criticalAddonsTaint}"] to every pool with mode System.`,
  tags: ["azure", "aks", "availability"],
  validateResource: (args, report) => {
    const pools = nodePoolsOf(args);
    if (!pools) return args.notApplicable("applies to AKS clusters and node pools");
    for (const pool of pools.filter((p) => String(p.mode ?? "").toLowerCase() === "system")) {
      if (!(pool.nodeTaints ?? []).includes(criticalAddonsTaint))
        report(`system node pool "${pool.name}" must carry the taint ${criticalAddonsTaint}.`);
    }
  },
});
