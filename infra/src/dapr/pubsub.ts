import * as pulumi from "@pulumi/pulumi";
import { daprComponents, secretNames, type ServiceSpec } from "@tasks/catalog";
import { appsUsing, objectMeta, secretAuth, secretRef, value, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type DaprComponent, type MetadataItem } from "./types.js";

/** Kafka protocol version Dapr's docs set for the Event Hubs Kafka endpoint. */
export const eventHubsKafkaVersion = "1.0.0";

/** `<namespace>.servicebus.windows.net:9093`, the Event Hubs Kafka endpoint. */
export const eventHubsBrokers = (namespaceName: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.interpolate`${namespaceName}.servicebus.windows.net:9093`;

/**
 * Kafka consumer group of each pod of a fan-out app. Dapr resolves `{podName}` from the sidecar's
 * POD_NAME, which only the Kubernetes injector sets: a selfhosted daprd exits with "refers to {podName}
 * but podName is not set" (dapr/dapr pkg/runtime/meta/meta.go), so there every daprd process gets a
 * random `{uuid}` group instead. Event Hubs creates Kafka consumer groups on first use ("Kafka consumer
 * groups ... are autocreated", learn.microsoft.com/azure/event-hubs/apache-kafka-frequently-asked-questions)
 * and they are namespace-wide, hence the app id prefix; they are not the Event Hubs consumer groups
 * (nor their per-hub quota) that the Azure stack creates.
 */
export const broadcastConsumerGroup = (settings: ResolvedDaprSettings): string =>
  settings.target === "selfhosted" ? "{appID}-{uuid}" : "{appID}-{podName}";

/** Apps whose every pod must receive every subscribed event (catalog `eventDelivery: "fan-out"`), sorted. */
export const fanOutApps = (services: readonly ServiceSpec[]): string[] =>
  services
    .filter((s) => s.dapr.includes("pubsub") && s.eventDelivery === "fan-out")
    .map((s) => s.name)
    .sort();

/** The pub/sub component an app publishes and subscribes through. */
export const pubsubNameFor = (service: ServiceSpec): string =>
  service.eventDelivery === "fan-out" ? daprComponents.pubsubBroadcast : daprComponents.pubsub;

function kafkaComponent(
  settings: ResolvedDaprSettings,
  name: string,
  consumer: readonly MetadataItem[],
  scopes: readonly string[],
): DaprComponent {
  const broker = settings.broker;
  const connection: MetadataItem[] =
    broker.kind === "eventhubs"
      ? [
          value("brokers", eventHubsBrokers(broker.namespaceName)),
          value("authType", "password"),
          // SASL PLAIN, as daprd defaults to; components-contrib's metadata.yaml requires it with authType password.
          value("saslMechanism", "PLAINTEXT"),
          value("saslUsername", "$ConnectionString"),
          secretRef("saslPassword", secretNames.eventHubsConnectionString),
          value("version", eventHubsKafkaVersion),
        ]
      : [value("brokers", broker.brokers), value("authType", "none")];
  return {
    apiVersion: daprApiVersion,
    kind: "Component",
    metadata: objectMeta(settings, name),
    spec: {
      type: "pubsub.kafka",
      version: "v1",
      metadata: [...connection, ...consumer, value("maxMessageBytes", "1048576"), value("consumeRetryInterval", "200ms")],
    },
    ...(broker.kind === "eventhubs" ? secretAuth(settings, daprComponents.secretStore) : {}),
    scopes,
  };
}

/**
 * The shared pubsub.kafka component, scoped to the apps that use pub/sub with shared delivery. Each app
 * consumes in its own consumer group (Dapr defaults the group to the app id), so the app's pods share
 * the load and each event reaches one of them.
 */
export function pubsubComponent(settings: ResolvedDaprSettings): DaprComponent {
  const fanOut = new Set(fanOutApps(settings.services));
  return kafkaComponent(
    settings,
    daprComponents.pubsub,
    // A new consumer group starts at the oldest retained event, so a new subscriber misses nothing.
    [value("initialOffset", "oldest")],
    appsUsing(settings.services, "pubsub").filter((app) => !fanOut.has(app)),
  );
}

/**
 * The broadcast pubsub.kafka component for fan-out apps (realtime): one consumer group per pod, so
 * every pod receives every event. A pod's group is new when the pod is, and a new pod only needs live
 * events (history comes from the replay buffer), so it starts at the newest offset rather than
 * replaying the whole retention. Undefined when no app fans out.
 */
export function pubsubBroadcastComponent(settings: ResolvedDaprSettings): DaprComponent | undefined {
  const apps = fanOutApps(settings.services);
  if (apps.length === 0) return undefined;
  return kafkaComponent(
    settings,
    daprComponents.pubsubBroadcast,
    [value("consumerGroup", broadcastConsumerGroup(settings)), value("initialOffset", "newest")],
    apps,
  );
}
