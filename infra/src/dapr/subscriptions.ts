import type { TopicSpec } from "@tasks/catalog";
import { pubsubNameFor } from "./pubsub.js";
import { objectMeta, type ResolvedDaprSettings } from "./settings.js";
import { subscriptionApiVersion, type DaprSubscription } from "./types.js";

/** Kubernetes name of the subscription of `app` to `topic`, e.g. `audit-task-created`. */
export const subscriptionName = (app: string, topic: string): string => `${app}-${topic.replace(/[^a-z0-9-]/g, "-")}`;

/**
 * One declarative v2alpha1 Subscription per catalog subscription, scoped to the subscribing app, with the
 * topic's dead-letter topic: events the app DROPs or that exhaust their retries land there. Fan-out apps
 * subscribe through the broadcast component (a consumer group per pod), the others through the shared one.
 */
export function subscriptions(settings: ResolvedDaprSettings): DaprSubscription[] {
  const byName = new Map<string, TopicSpec>(settings.topics.map((t) => [t.name, t]));
  return settings.services.flatMap((s) =>
    s.subscribes.map((sub) => {
      const topic = byName.get(sub.topic);
      if (!topic) throw new Error(`subscriptions: service "${s.name}" subscribes to "${sub.topic}", which is not a catalog topic`);
      return {
        apiVersion: subscriptionApiVersion,
        kind: "Subscription" as const,
        metadata: objectMeta(settings, subscriptionName(s.name, topic.name)),
        spec: { pubsubname: pubsubNameFor(s), topic: topic.name, routes: { default: sub.route }, deadLetterTopic: topic.deadLetterTopic },
        scopes: [s.name],
      };
    }),
  );
}
