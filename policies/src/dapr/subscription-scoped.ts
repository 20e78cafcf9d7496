import { subscribersOf } from "@tasks/catalog";
import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { daprKindOf } from "../lib/dapr.js";

export const subscriptionScoped = resourcePolicy({
  name: "dapr-subscription-scoped",
  description:
    "Every Dapr Subscription is scoped to the apps that subscribe to its topic; for catalog topics, exactly the catalog's subscribers.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("dapr", "pubsub/declarative subscriptions scopes", "Scope subscriptions to the app ids that should receive them"),
    source("project", "catalog/subscribes", "Only the services that subscribe to a topic receive its events"),
  ],
  url: "https://docs.dapr.io/developing-applications/building-blocks/pubsub/subscription-methods/",
  remediationSteps: "Set scopes to the app ids of the services that subscribe to the topic in the catalog.",
  tags: ["dapr", "security", "events"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Subscription") return args.notApplicable("applies to Dapr Subscriptions");
    const name = objectName(asObject(args.props.metadata) as ObjectMeta, args.name);
    const scopes = Array.isArray(args.props.scopes) ? (args.props.scopes as unknown[]).map(String) : [];
    if (scopes.length === 0) {
      report(`Subscription "${name}" has no scopes: every Dapr app in the namespace would receive its events.`);
      return;
    }
    const topic = asObject(args.props.spec).topic;
    const subscribers = typeof topic === "string" ? subscribersOf(topic).map((s) => s.name as string) : [];
    if (subscribers.length === 0) return;
    const extra = scopes.filter((s) => !subscribers.includes(s));
    if (extra.length > 0)
      report(
        `Subscription "${name}" is scoped to ${extra.join(", ")}, which the catalog does not list as subscribers of "${String(topic)}".`,
      );
  },
});
