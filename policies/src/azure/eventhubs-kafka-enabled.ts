import type { NamespaceArgs } from "@pulumi/azure-native/eventhub/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const eventHubsKafkaEnabled = resourcePolicy({
  name: "azure-eventhubs-kafka-enabled",
  description:
    "Event Hubs namespaces expose the Kafka endpoint the Dapr pubsub.kafka component uses: a Standard or higher SKU with Kafka not disabled.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("azure", "Event Hubs for Apache Kafka", "The Kafka endpoint needs the Standard tier or higher"),
    source("project", "DESIGN/broker", "Dapr pub/sub reaches Event Hubs through its Kafka endpoint"),
  ],
  url: "https://learn.microsoft.com/azure/event-hubs/azure-event-hubs-apache-kafka-overview",
  remediationSteps: 'Use sku.name "Standard" or "Premium" (the tier cannot change later) and do not set kafkaEnabled: false.',
  tags: ["azure", "eventhubs", "availability"],
  validateResource: (args, report) => {
    const ns = propsOf<NamespaceArgs>(args, azureTypes.eventHubNamespace);
    if (!ns) return args.notApplicable("applies to Event Hubs namespaces");
    const sku = ns.sku?.name;
    if (!sku || String(sku).toLowerCase() === "basic")
      report(`the Kafka endpoint needs the Standard tier or higher; sku.name is ${sku === undefined ? "not set" : `"${sku}"`}.`);
    if (ns.kafkaEnabled === false) report("the namespace turns the Kafka endpoint off (kafkaEnabled: false).");
  },
});
