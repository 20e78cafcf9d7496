import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, isScaledObject } from "../lib/kubernetes.js";
import { componentView, daprKindOf, plainValue } from "../lib/dapr.js";
import { knownOr } from "../lib/unknown.js";

/** The consumer group of a Kafka pub/sub component: its `consumerGroup` item, or the app id (Dapr's default). */
const groupTemplate = (component: PolicyResource): string => {
  const item = componentView(component.props, component.name).items.find((i) => i.name === "consumerGroup");
  return (item && plainValue(item)) ?? "{appID}";
};

interface Consumer {
  readonly app: string;
  readonly namespace: string | undefined;
  readonly topics: Set<string>;
}

/**
 * The event consumers whose replicas share a consumer group: the apps subscribed (Dapr Subscriptions) through a
 * Kafka pub/sub whose group is per app, not per pod (`{podName}`, `{uuid}`: each pod reads everything, so adding
 * pods does not reduce lag). With the topics each one reads.
 */
function sharedGroupConsumers(resources: readonly PolicyResource[]): Consumer[] {
  const components = resources.filter((r) => daprKindOf(r.type) === "Component");
  const byKey = new Map<string, Consumer>();
  for (const sub of resources.filter((r) => daprKindOf(r.type) === "Subscription")) {
    const meta = asObject(sub.props.metadata);
    const spec = knownOr(() => asObject(sub.props.spec), {} as Record<string, unknown>);
    const ns = typeof meta.namespace === "string" ? meta.namespace : undefined;
    const pubsub = components.find((c) => componentView(c.props, c.name).name === spec.pubsubname);
    if (!pubsub || !componentView(pubsub.props, pubsub.name).type.startsWith("pubsub.kafka")) continue;
    if (/\{(podName|uuid)\}/.test(groupTemplate(pubsub))) continue;
    const apps = knownOr(() => (Array.isArray(sub.props.scopes) ? (sub.props.scopes as unknown[]).map(String) : []), [] as string[]);
    for (const app of apps) {
      const key = `${ns}/${app}`;
      const c = byKey.get(key) ?? { app, namespace: ns, topics: new Set<string>() };
      if (typeof spec.topic === "string") c.topics.add(spec.topic);
      byKey.set(key, c);
    }
  }
  return [...byKey.values()];
}

const targets = (r: PolicyResource, c: Consumer): boolean => {
  const meta = asObject(r.props.metadata);
  const target = asObject(asObject(r.props.spec).scaleTargetRef);
  return (meta.namespace ?? undefined) === c.namespace && (target.kind ?? "Deployment") === "Deployment" && target.name === c.app;
};

export const consumersScaleOnLag = stackPolicy({
  name: "kubernetes-consumers-scale-on-lag",
  description:
    "Every event consumer whose replicas share a Kafka consumer group scales on that group's lag: a KEDA ScaledObject targets its Deployment with a kafka trigger on its group for every topic it subscribes to, and no HorizontalPodAutoscaler of its own fights KEDA's.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("azure", "AKS KEDA add-on", "Scale event consumers with KEDA on the lag of their consumer group, computed from the broker"),
    source("project", "issue 16", "recurrence and notifications scale on their consumer groups' lag, not on CPU"),
  ],
  url: "https://keda.sh/docs/latest/scalers/apache-kafka/",
  remediationSteps:
    "Give the consumer's ServiceWorkload `lagScaling` (a ScaledObject with one kafka trigger per subscribed topic, consumerGroup = the app id) instead of a CPU HorizontalPodAutoscaler.",
  tags: ["kubernetes", "availability", "events", "scaling"],
  validateStack: (args, report) => {
    const scaled = args.resources.filter(isScaledObject);
    const hpas = args.resources.filter((r) => /^kubernetes:autoscaling\/v\d+:HorizontalPodAutoscaler$/.test(r.type));
    for (const c of sharedGroupConsumers(args.resources)) {
      const so = scaled.find((r) => targets(r, c));
      const where = `Deployment "${c.namespace ?? "?"}/${c.app}"`;
      if (!so) {
        report(
          `${where} consumes ${[...c.topics].sort().join(", ")} in a shared consumer group but no KEDA ScaledObject scales it on the group's lag.`,
        );
        continue;
      }
      const triggers = knownOr(() => (asObject(so.props.spec).triggers as Record<string, unknown>[] | undefined) ?? [], []);
      const covered = new Set(
        triggers
          .filter((t) => t.type === "kafka" && asObject(t.metadata).consumerGroup === c.app)
          .map((t) => String(asObject(t.metadata).topic)),
      );
      const uncovered = [...c.topics].filter((t) => !covered.has(t)).sort();
      if (uncovered.length)
        report(`${where}: its ScaledObject has no kafka trigger on consumer group "${c.app}" for ${uncovered.join(", ")}.`, so.urn);
      const hpa = hpas.find((r) => targets(r, c));
      if (hpa)
        report(
          `${where} is scaled by KEDA and by its own HorizontalPodAutoscaler "${String(asObject(hpa.props.metadata).name)}": remove the HPA.`,
          hpa.urn,
        );
    }
  },
});
