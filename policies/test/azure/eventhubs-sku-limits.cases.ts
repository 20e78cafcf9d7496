import { eventHubsSkuLimits } from "../../src/azure/eventhubs-sku-limits.js";
import { casesFor, changed } from "../lib/harness.js";
import { catalogHubs, ehNamespace, eventHub } from "../fixtures/azure.js";

const hubs = catalogHubs();
// The catalog's 10 (five topics and their dead-letter topics, the Standard maximum) and one more topic.
const twelve = [...hubs, eventHub("a"), eventHub("a.dlq")];

export default casesFor(eventHubsSkuLimits, [
  { n: 1, title: "Standard: 10 hubs, 7 days", resources: [ehNamespace(), ...hubs], expect: [] },
  { n: 2, title: "Premium: 12 hubs", resources: [ehNamespace("dev", "Premium"), ...twelve], expect: [] },
  {
    n: 3,
    title: "Standard: 12 hubs",
    resources: [ehNamespace(), ...twelve],
    expect: ['namespace "tasks-dev-ehns" (Standard) declares 12 event hubs; the tier allows 10.'],
  },
  {
    n: 4,
    title: "Standard: 14 days of retention",
    resources: [ehNamespace(), changed(eventHub("task.created"), ["retentionDescription.retentionTimeInHours", 336])],
    expect: ['event hub "task.created" keeps events 14 days; Standard allows at most 7.'],
  },
  {
    n: 5,
    title: "Standard: retention in days (older API)",
    resources: [ehNamespace(), changed(eventHub("x"), ["retentionDescription"], ["messageRetentionInDays", 30])],
    expect: ['event hub "x" keeps events 30 days; Standard allows at most 7.'],
  },
  {
    n: 6,
    title: "Standard: 64 partitions",
    resources: [ehNamespace(), changed(eventHub("x"), ["partitionCount", 64])],
    expect: ['event hub "x" has 64 partitions; Standard allows at most 32.'],
  },
]);
