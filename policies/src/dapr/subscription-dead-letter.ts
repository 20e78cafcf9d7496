import { allTopics } from "@tasks/catalog";
import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { daprKindOf } from "../lib/dapr.js";

const catalogDeadLetter = new Map(allTopics.map((t) => [t.name, t.deadLetterTopic]));

export const subscriptionDeadLetter = resourcePolicy({
  name: "dapr-subscription-dead-letter",
  description:
    "Every Dapr Subscription names a deadLetterTopic, different from its topic and equal to the catalog's dead-letter topic for catalog topics, so dropped and undeliverable events are kept.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "pubsub/dead letter topics", "Subscriptions set deadLetterTopic to keep messages that cannot be delivered"),
    source("project", "DESIGN/events", "Every subscription has a dead-letter topic"),
  ],
  url: "https://docs.dapr.io/developing-applications/building-blocks/pubsub/pubsub-deadletter/",
  remediationSteps:
    "Set spec.deadLetterTopic to the catalog's deadLetterTopic of the subscribed topic (and make sure some app consumes it).",
  tags: ["dapr", "availability", "events"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Subscription") return args.notApplicable("applies to Dapr Subscriptions");
    const spec = asObject(args.props.spec);
    const name = objectName(asObject(args.props.metadata) as ObjectMeta, args.name);
    const topic = typeof spec.topic === "string" ? spec.topic : undefined;
    const dlq = typeof spec.deadLetterTopic === "string" ? spec.deadLetterTopic : undefined;
    if (!dlq) {
      report(`Subscription "${name}" to topic "${topic ?? "?"}" has no deadLetterTopic.`);
      return;
    }
    if (dlq === topic)
      report(`Subscription "${name}" uses its own topic "${topic}" as deadLetterTopic, which redelivers failures forever.`);
    const expected = topic ? catalogDeadLetter.get(topic) : undefined;
    if (expected && dlq !== expected)
      report(`Subscription "${name}" sends dead letters of "${topic}" to "${dlq}", but the catalog's dead-letter topic is "${expected}".`);
  },
});
