import { eventHubsKafkaEnabled } from "../../src/azure/eventhubs-kafka-enabled.js";
import { casesFor, changed } from "../lib/harness.js";
import { ehNamespace, vault } from "../fixtures/azure.js";

export default casesFor(eventHubsKafkaEnabled, [
  { n: 1, title: "Standard", resource: ehNamespace(), expect: [] },
  { n: 2, title: "Premium", resource: ehNamespace("prod", "Premium"), expect: [] },
  {
    n: 3,
    title: "Basic has no Kafka endpoint",
    resource: ehNamespace("dev", "Basic"),
    expect: ['the Kafka endpoint needs the Standard tier or higher; sku.name is "Basic".'],
  },
  {
    n: 4,
    title: "Kafka turned off",
    resource: changed(ehNamespace(), ["kafkaEnabled", false]),
    expect: ["the namespace turns the Kafka endpoint off (kafkaEnabled: false)."],
  },
  {
    n: 5,
    title: "no sku",
    resource: changed(ehNamespace(), ["sku"]),
    expect: ["the Kafka endpoint needs the Standard tier or higher; sku.name is not set."],
  },
  { n: 6, title: "not a namespace", resource: vault(), notApplicable: true },
]);
