import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { daprKindOf } from "../lib/dapr.js";
import { knownOr } from "../lib/unknown.js";

/** Topics the stack's broker has: Event Hubs hubs on Azure, Kafka topics (Redpanda) on local. */
function brokerTopics(resources: readonly { type: string; props: Record<string, unknown> }[]): Set<string> | undefined {
  const hubs = resources
    .filter((r) => r.type === "azure-native:eventhub:EventHub")
    .map((r) => knownOr(() => r.props.eventHubName, undefined));
  const topics = resources.filter((r) => r.type === "kafka:index/topic:Topic").map((r) => knownOr(() => r.props.name, undefined));
  const all = [...hubs, ...topics];
  if (all.length === 0) return undefined;
  return new Set(all.filter((t): t is string => typeof t === "string"));
}

export const deadLetterTopicInBroker = stackPolicy({
  name: "dapr-dead-letter-topic-in-broker",
  description:
    "Every Dapr Subscription's topic and dead-letter topic exist in the stack's broker (an Event Hubs hub, a Kafka topic): Event Hubs does not create topics on first use, so a dead letter sent to a missing one is lost.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "pubsub/dead letter topics", "The dead-letter topic must exist in the broker"),
    source("project", "DESIGN/events", "Every subscription has a dead-letter topic"),
  ],
  url: "https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-deadletter/",
  remediationSteps:
    "Create the topic in the broker from the catalog (infra creates a hub or topic per catalog topic and its dead-letter topic).",
  tags: ["dapr", "availability", "events", "cross-reference"],
  validateStack: (args, report) => {
    const topics = brokerTopics(args.resources);
    if (!topics) return args.notApplicable("the stack creates no broker topics");
    for (const sub of args.resources.filter((r) => daprKindOf(r.type) === "Subscription")) {
      const name = objectName(asObject(sub.props.metadata) as ObjectMeta, sub.name);
      const spec = asObject(sub.props.spec);
      for (const [what, key] of [
        ["topic", "topic"],
        ["dead-letter topic", "deadLetterTopic"],
      ] as const) {
        const topic = knownOr(() => spec[key], undefined);
        if (typeof topic === "string" && !topics.has(topic))
          report(`Subscription "${name}" has ${what} "${topic}", which is not in the broker's topics.`, sub.urn);
      }
    }
  },
});
