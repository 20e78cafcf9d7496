import type { NamespaceArgs } from "@pulumi/azure-native/eventhub/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";

export const eventHubsZoneRedundantProd = resourcePolicy({
  name: "azure-eventhubs-zone-redundant-prod",
  description: "In prod, Event Hubs namespaces are zone redundant.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("checkov", "CKV_AZURE_228", "Ensure the Azure Event Hub Namespace is zone redundant")],
  url: "https://learn.microsoft.com/azure/reliability/reliability-event-hubs",
  remediationSteps: "Set zoneRedundant: true on the prod namespace.",
  tags: ["azure", "eventhubs", "availability", "prod-only"],
  validateResource: (args, report) => {
    const ns = propsOf<NamespaceArgs>(args, azureTypes.eventHubNamespace);
    if (!ns) return args.notApplicable("applies to Event Hubs namespaces");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    if (ns.zoneRedundant !== true) report("the prod namespace must set zoneRedundant: true.");
  },
});
