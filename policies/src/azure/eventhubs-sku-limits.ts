import { stackPolicy, source } from "../lib/metadata.js";
import { eventHubNamespaces } from "../lib/eventhubs.js";

interface SkuLimits {
  /** Event hubs per namespace (Premium: per processing unit). */
  readonly hubs: number;
  readonly hubsPerCapacity: boolean;
  readonly retentionDays: number;
  readonly partitions: number;
}

/** Event Hubs quotas by tier (learn.microsoft.com/azure/event-hubs/event-hubs-quotas). */
export const eventHubsLimits: Readonly<Record<string, SkuLimits>> = {
  basic: { hubs: 10, hubsPerCapacity: false, retentionDays: 1, partitions: 32 },
  standard: { hubs: 10, hubsPerCapacity: false, retentionDays: 7, partitions: 32 },
  premium: { hubs: 100, hubsPerCapacity: true, retentionDays: 90, partitions: 100 },
};

export const eventHubsSkuLimits = stackPolicy({
  name: "azure-eventhubs-sku-limits",
  description:
    "Each Event Hubs namespace stays within its tier's quotas: the number of event hubs (10 on Basic/Standard, 100 per processing unit on Premium), retention and partitions per hub.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("azure", "Event Hubs quotas and limits", "Event hubs per namespace, retention and partitions by tier")],
  url: "https://learn.microsoft.com/azure/event-hubs/event-hubs-quotas",
  remediationSteps:
    "Use Premium (or more processing units) for more than 10 event hubs or more than 7 days of retention, or reduce topics, retention or partitions.",
  tags: ["azure", "eventhubs", "availability", "quotas"],
  validateStack: (args, report) => {
    for (const ns of eventHubNamespaces(args.resources)) {
      const limits = eventHubsLimits[ns.sku.toLowerCase()];
      if (!limits) continue;
      const maxHubs = limits.hubsPerCapacity ? limits.hubs * ns.capacity : limits.hubs;
      if (ns.hubs.length > maxHubs)
        report(`namespace "${ns.name}" (${ns.sku}) declares ${ns.hubs.length} event hubs; the tier allows ${maxHubs}.`, ns.resource.urn);
      for (const hub of ns.hubs) {
        if (hub.retentionDays !== undefined && hub.retentionDays > limits.retentionDays)
          report(
            `event hub "${hub.name}" keeps events ${hub.retentionDays} days; ${ns.sku} allows at most ${limits.retentionDays}.`,
            hub.resource.urn,
          );
        if (hub.partitions !== undefined && hub.partitions > limits.partitions)
          report(
            `event hub "${hub.name}" has ${hub.partitions} partitions; ${ns.sku} allows at most ${limits.partitions}.`,
            hub.resource.urn,
          );
      }
    }
  },
});
