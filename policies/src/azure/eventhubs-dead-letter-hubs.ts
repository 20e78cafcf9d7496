import { allTopics, deadLetterSuffix, deadLetterTopicName } from "@tasks/catalog";
import { stackPolicy, source } from "../lib/metadata.js";
import { eventHubNamespaces } from "../lib/eventhubs.js";

const deadLetterOf = new Map(allTopics.map((t) => [t.name, t.deadLetterTopic]));
const deadLetterNames = new Set(allTopics.map((t) => t.deadLetterTopic));

/** The dead-letter hub a topic hub needs: the catalog's, else named by the catalog's rule (`<topic>.dlq`). */
export const expectedDeadLetter = (topic: string): string => deadLetterOf.get(topic) ?? deadLetterTopicName(topic);

const isDeadLetter = (name: string): boolean => deadLetterNames.has(name) || name.endsWith(deadLetterSuffix);

export const eventHubsDeadLetterHubs = stackPolicy({
  name: "azure-eventhubs-dead-letter-hubs",
  description:
    "Every event hub that carries a topic has its dead-letter hub in the same namespace, and every catalog topic has its hub there too.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "pubsub/dead letter topics", "A dead-letter topic must exist on the broker to receive dropped messages"),
    source("project", "catalog/topics", "Every topic has a dead-letter topic; infra creates both"),
  ],
  url: "https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-deadletter/",
  remediationSteps:
    "Create one event hub per catalog topic and one per its deadLetterTopic in the namespace (allBrokerTopics() from the catalog).",
  tags: ["azure", "eventhubs", "availability", "events"],
  validateStack: (args, report) => {
    for (const ns of eventHubNamespaces(args.resources)) {
      const names = new Set(ns.hubs.map((h) => h.name));
      for (const hub of ns.hubs) {
        if (isDeadLetter(hub.name)) continue;
        const dlq = expectedDeadLetter(hub.name);
        if (!names.has(dlq)) report(`event hub "${hub.name}" in namespace "${ns.name}" has no dead-letter hub "${dlq}".`, hub.resource.urn);
      }
      if (ns.hubs.length === 0) continue;
      for (const topic of allTopics) {
        if (!names.has(topic.name)) report(`namespace "${ns.name}" has no event hub for catalog topic "${topic.name}".`, ns.resource.urn);
      }
    }
  },
});
