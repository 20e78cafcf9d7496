import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { componentMetadata, daprKindOf } from "../lib/dapr.js";
import { isSharedEnvironment, resourceEnvironment } from "../lib/environment.js";
import { peek } from "../lib/unknown.js";

export const pubsubBrokerTls = resourcePolicy({
  name: "dapr-pubsub-broker-tls",
  description:
    "On dev and prod, Kafka pub/sub components authenticate and encrypt: authType is not none and TLS is not disabled (Event Hubs' Kafka endpoint needs SASL over TLS on port 9093).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "pubsub.kafka/authentication", "authType none turns authentication and TLS off"),
    source("azure", "Event Hubs for Kafka", "Kafka clients connect with SASL_SSL on port 9093"),
  ],
  url: "https://docs.dapr.io/reference/components-reference/supported-pubsub/setup-apache-kafka/",
  remediationSteps:
    'Set authType: password (SASL PLAIN with the Event Hubs connection string from the secret store) and leave disableTls unset or "false".',
  tags: ["dapr", "security", "tls", "dev-and-prod"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Component") return args.notApplicable("applies to Dapr Components");
    if (asObject(args.props.spec).type !== "pubsub.kafka") return args.notApplicable("applies to pubsub.kafka components");
    if (!isSharedEnvironment(resourceEnvironment(args))) return args.notApplicable("applies to dev and prod");
    const name = objectName(asObject(args.props.metadata) as ObjectMeta, args.name);
    const items = componentMetadata(asObject(args.props.spec));
    const valueOf = (field: string) => {
      const item = items.find((i) => i.name === field);
      if (!item) return undefined;
      const v = peek(() => item.raw.value);
      return v.known ? v.value : undefined;
    };
    const authType = valueOf("authType");
    if (authType === undefined || authType === "none")
      report(`Component "${name}" must authenticate to the broker: authType is ${authType === undefined ? "not set" : '"none"'}.`);
    const disableTls = valueOf("disableTls");
    if (disableTls === true || disableTls === "true") report(`Component "${name}" disables TLS to the broker (disableTls: "true").`);
  },
});
