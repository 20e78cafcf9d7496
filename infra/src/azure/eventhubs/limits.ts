/**
 * Event Hubs tier limits that the catalog can break (learn.microsoft.com/azure/event-hubs/event-hubs-quotas).
 * The Kafka endpoint needs Standard or higher, so Basic is not offered.
 */
export type EventHubsSku = "Standard" | "Premium";

export interface EventHubsSkuLimits {
  /** "throughput units" (Standard) or "processing units" (Premium). */
  readonly unit: string;
  readonly capacities: readonly number[];
  /** Event hubs per namespace, or per capacity unit when `hubsPerUnit`. */
  readonly maxHubs: number;
  readonly hubsPerUnit: boolean;
  readonly maxRetentionDays: number;
  readonly maxPartitionsPerHub: number;
  /** Partitions across the namespace per capacity unit (Premium); undefined = no such limit. */
  readonly maxPartitionsPerUnit?: number;
  readonly maxConsumerGroupsPerHub: number;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

export const eventHubsLimits: Readonly<Record<EventHubsSku, EventHubsSkuLimits>> = {
  Standard: {
    unit: "throughput units",
    capacities: range(1, 40),
    maxHubs: 10,
    hubsPerUnit: false,
    maxRetentionDays: 7,
    maxPartitionsPerHub: 32,
    maxConsumerGroupsPerHub: 20,
  },
  Premium: {
    unit: "processing units",
    capacities: [1, 2, 4, 8, 16],
    maxHubs: 100,
    hubsPerUnit: true,
    maxRetentionDays: 90,
    maxPartitionsPerHub: 100,
    maxPartitionsPerUnit: 200,
    maxConsumerGroupsPerHub: 100,
  },
};

export interface PlannedHub {
  readonly name: string;
  readonly partitions: number;
  readonly retentionDays: number;
  readonly consumerGroups: number;
}

const formatList = (xs: readonly number[]): string =>
  xs.length > 6 ? `${xs[0]}..${xs[xs.length - 1]}` : `${xs.slice(0, -1).join(", ")} or ${xs[xs.length - 1]}`;

/** Every way the planned hubs break the tier's limits, each message naming the limit; empty when they fit. */
export function eventHubsLimitProblems(sku: EventHubsSku, capacity: number, hubs: readonly PlannedHub[]): string[] {
  const l = eventHubsLimits[sku];
  const tier = `Event Hubs ${sku}`;
  const problems: string[] = [];
  if (!l.capacities.includes(capacity)) problems.push(`${tier} allows ${formatList(l.capacities)} ${l.unit}; capacity is ${capacity}`);
  const maxHubs = l.hubsPerUnit ? l.maxHubs * capacity : l.maxHubs;
  if (hubs.length > maxHubs) {
    const limit = l.hubsPerUnit
      ? `${l.maxHubs} event hubs per processing unit (${maxHubs} with capacity ${capacity})`
      : `${l.maxHubs} event hubs per namespace`;
    problems.push(`${tier} allows at most ${limit}; the catalog needs ${hubs.length} (topics and their dead-letter topics)`);
  }
  for (const h of hubs) {
    if (h.retentionDays > l.maxRetentionDays)
      problems.push(`${tier} allows at most ${l.maxRetentionDays} days retention; event hub "${h.name}" asks for ${h.retentionDays}`);
    if (h.partitions > l.maxPartitionsPerHub)
      problems.push(
        `${tier} allows at most ${l.maxPartitionsPerHub} partitions per event hub; event hub "${h.name}" asks for ${h.partitions}`,
      );
    if (h.consumerGroups > l.maxConsumerGroupsPerHub)
      problems.push(
        `${tier} allows at most ${l.maxConsumerGroupsPerHub} consumer groups per event hub; event hub "${h.name}" needs ${h.consumerGroups}`,
      );
  }
  const totalPartitions = hubs.reduce((n, h) => n + h.partitions, 0);
  if (l.maxPartitionsPerUnit !== undefined && totalPartitions > l.maxPartitionsPerUnit * capacity) {
    problems.push(
      `${tier} allows at most ${l.maxPartitionsPerUnit} partitions per processing unit (${l.maxPartitionsPerUnit * capacity} with capacity ${capacity}); the event hubs need ${totalPartitions}`,
    );
  }
  return problems;
}
