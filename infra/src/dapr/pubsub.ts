import * as pulumi from "@pulumi/pulumi";
import { daprComponents, secretNames } from "@tasks/catalog";
import { appsUsing, objectMeta, secretAuth, secretRef, value, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type DaprComponent, type MetadataItem } from "./types.js";

/** Kafka protocol version Dapr's docs set for the Event Hubs Kafka endpoint. */
export const eventHubsKafkaVersion = "1.0.0";

/** `<namespace>.servicebus.windows.net:9093`, the Event Hubs Kafka endpoint. */
export const eventHubsBrokers = (namespaceName: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.interpolate`${namespaceName}.servicebus.windows.net:9093`;

/**
 * The pubsub.kafka component, scoped to the apps that use pub/sub. Each app consumes in its own consumer
 * group (Dapr defaults the group to the app id), the one the Azure side creates per subscriber.
 */
export function pubsubComponent(settings: ResolvedDaprSettings): DaprComponent {
  const broker = settings.broker;
  const connection: MetadataItem[] =
    broker.kind === "eventhubs"
      ? [
          value("brokers", eventHubsBrokers(broker.namespaceName)),
          value("authType", "password"),
          value("saslUsername", "$ConnectionString"),
          secretRef("saslPassword", secretNames.eventHubsConnectionString),
          value("version", eventHubsKafkaVersion),
        ]
      : [value("brokers", broker.brokers), value("authType", "none")];
  return {
    apiVersion: daprApiVersion,
    kind: "Component",
    metadata: objectMeta(settings, daprComponents.pubsub),
    spec: {
      type: "pubsub.kafka",
      version: "v1",
      metadata: [
        ...connection,
        // A new consumer group starts at the oldest retained event, so a new subscriber misses nothing.
        value("initialOffset", "oldest"),
        value("maxMessageBytes", "1048576"),
        value("consumeRetryInterval", "200ms"),
      ],
    },
    ...(broker.kind === "eventhubs" ? secretAuth(settings, daprComponents.secretStore) : {}),
    scopes: appsUsing(settings.services, "pubsub"),
  };
}
