import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { componentView, daprKindOf } from "../lib/dapr.js";
import { knownOr } from "../lib/unknown.js";

const scopesOf = (props: Record<string, unknown>): string[] | undefined =>
  knownOr(() => (Array.isArray(props.scopes) ? (props.scopes as unknown[]).map(String) : undefined), undefined);

export const subscriptionPubsubExists = stackPolicy({
  name: "dapr-subscription-pubsub-exists",
  description:
    "Every Dapr Subscription names a pub/sub Component that the stack creates in the same namespace, and that component is scoped to every app the subscription is scoped to (else that sidecar never loads it and the subscription delivers nothing).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "pubsub/declarative subscriptions", "A subscription's pubsubname names a pub/sub component the app loads"),
    source("project", "catalog/subscribes", "Every catalog subscription is delivered"),
  ],
  url: "https://docs.dapr.io/developing-applications/building-blocks/pubsub/subscription-methods/",
  remediationSteps: "Point spec.pubsubname at the pub/sub component of the subscribing app, and add the app to that component's scopes.",
  tags: ["dapr", "availability", "events", "cross-reference"],
  validateStack: (args, report) => {
    const components = args.resources
      .filter((r) => daprKindOf(r.type) === "Component")
      .map((r) => ({ r, c: componentView(r.props, r.name) }));
    for (const sub of args.resources.filter((r) => daprKindOf(r.type) === "Subscription")) {
      const meta = asObject(sub.props.metadata) as ObjectMeta;
      const name = objectName(meta, sub.name);
      const pubsub = knownOr(() => asObject(sub.props.spec).pubsubname, undefined);
      if (typeof pubsub !== "string") continue;
      const target = components.find(({ c }) => c.name === pubsub && c.namespace === (meta.namespace ?? undefined));
      if (!target) {
        report(
          `Subscription "${name}" names pubsub "${pubsub}", which the stack does not create in namespace "${meta.namespace ?? "?"}".`,
          sub.urn,
        );
        continue;
      }
      if (target.c.type && !target.c.type.startsWith("pubsub.")) {
        report(`Subscription "${name}" names "${pubsub}", a ${target.c.type} component, not a pub/sub.`, sub.urn);
        continue;
      }
      const componentScopes = scopesOf(target.r.props);
      if (!componentScopes || componentScopes.length === 0) continue; // unscoped: every app loads it
      const apps = scopesOf(sub.props) ?? [];
      const missing = apps.filter((a) => !componentScopes.includes(a));
      if (missing.length > 0)
        report(
          `Subscription "${name}" is scoped to ${missing.join(", ")}, but pubsub "${pubsub}" is not: that sidecar never loads it.`,
          sub.urn,
        );
    }
  },
});
