import * as pulumi from "@pulumi/pulumi";
import { EventHub } from "@pulumi/azure-native/eventhub/eventHub.js";
import { listNamespaceKeysOutput } from "@pulumi/azure-native/eventhub/listNamespaceKeys.js";
import { Namespace } from "@pulumi/azure-native/eventhub/namespace.js";
import { NamespaceAuthorizationRule } from "@pulumi/azure-native/eventhub/namespaceAuthorizationRule.js";
import { allBrokerTopics, allTopics, type TopicSpec } from "@tasks/catalog";
import { childName } from "../../naming.js";
import { createPrivateEndpoint } from "../network/private-endpoint.js";
import type { AzureScope, PrivateEndpointTarget } from "../scope.js";
import { eventHubsLimitProblems, type EventHubsSku, type PlannedHub } from "./limits.js";

export interface EventHubsArgs extends AzureScope {
  /** Physical namespace name (see naming.azureName("eventHubsNamespace", …)). */
  readonly namespaceName: pulumi.Input<string>;
  /** @default "Standard" */
  readonly sku?: EventHubsSku;
  /** Throughput units (Standard) or processing units (Premium). @default 1 */
  readonly capacity?: number;
  /** Standard only: auto-inflate up to this many throughput units; 0 turns it off. @default 0 */
  readonly maxThroughputUnits?: number;
  /** Topics to create, each with its dead-letter topic. @default the catalog's topics */
  readonly topics?: readonly TopicSpec[];
  /** With a private endpoint, public network access is disabled. */
  readonly privateEndpoint?: PrivateEndpointTarget;
}

/** The Dapr pub/sub client's rights: send and listen, never manage. */
export const brokerClientRights = ["Listen", "Send"] as const;
/** What reading consumer-group offsets needs (KEDA's lag triggers, the lag exporter): listen only. */
export const lagReaderRights = ["Listen"] as const;

/**
 * An Event Hubs namespace with the Kafka endpoint: one event hub per catalog topic and per dead-letter
 * topic, partitions and retention from the catalog. Fails before creating anything when the catalog breaks
 * the tier's limits. No Event Hubs consumer groups: the services consume through the Kafka endpoint, whose
 * consumer groups (the Dapr app ids) Event Hubs creates on first use, namespace-wide, apart from these
 * (learn.microsoft.com/azure/event-hubs/apache-kafka-frequently-asked-questions).
 */
export class EventHubs extends pulumi.ComponentResource {
  readonly namespaceId: pulumi.Output<string>;
  readonly namespaceName: pulumi.Output<string>;
  /** `<namespace>.servicebus.windows.net:9093`, the Kafka bootstrap server. */
  readonly kafkaBootstrapServers: pulumi.Output<string>;
  /** Connection string of the Listen+Send rule (the Kafka SASL password); secret. */
  readonly connectionString: pulumi.Output<string>;
  /** Connection string of the Listen-only rule KEDA and the lag exporter read offsets with; secret. */
  readonly listenConnectionString: pulumi.Output<string>;
  readonly hubNames: readonly string[];

  constructor(name: string, args: EventHubsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:EventHubs", name, {}, opts);
    const a = {
      sku: "Standard" as EventHubsSku,
      capacity: 1,
      maxThroughputUnits: 0,
      topics: allTopics,
      ...args,
    };
    const planned = allBrokerTopics(a.topics);
    validate(
      name,
      this,
      a.sku,
      a.capacity,
      a.maxThroughputUnits,
      planned.map((t): PlannedHub => ({ ...t, consumerGroups: 1 })),
    );

    const premium = a.sku === "Premium";
    const ns = new Namespace(
      name,
      {
        resourceGroupName: a.resourceGroupName,
        location: a.location,
        namespaceName: a.namespaceName,
        sku: { name: a.sku, tier: a.sku, capacity: a.capacity },
        kafkaEnabled: true,
        zoneRedundant: true,
        minimumTlsVersion: "1.2",
        // Dapr's Kafka pub/sub authenticates with the SAS connection string ($ConnectionString SASL user).
        disableLocalAuth: false,
        publicNetworkAccess: a.privateEndpoint ? "Disabled" : "Enabled",
        ...(!premium && a.maxThroughputUnits > 0 ? { isAutoInflateEnabled: true, maximumThroughputUnits: a.maxThroughputUnits } : {}),
        tags: a.tags,
      },
      { parent: this },
    );

    createHubs(name, a.resourceGroupName, ns, planned);
    const keys = createClientKeys(name, a.resourceGroupName, ns, this, "dapr", "dapr-pubsub", brokerClientRights);
    const listenKeys = createClientKeys(name, a.resourceGroupName, ns, this, "lag-reader", "lag-reader", lagReaderRights);

    if (a.privateEndpoint) {
      createPrivateEndpoint(
        name,
        {
          ...a.privateEndpoint,
          targetId: ns.id,
          groupId: "namespace",
          resourceGroupName: a.resourceGroupName,
          location: a.location,
          tags: a.tags,
        },
        ns,
      );
    }
    this.namespaceId = ns.id;
    this.namespaceName = ns.name;
    this.kafkaBootstrapServers = pulumi.interpolate`${ns.name}.servicebus.windows.net:9093`;
    this.connectionString = pulumi.secret(keys.primaryConnectionString);
    this.listenConnectionString = pulumi.secret(listenKeys.primaryConnectionString);
    this.hubNames = planned.map((t) => t.name);
    this.registerOutputs({ namespaceName: this.namespaceName, kafkaBootstrapServers: this.kafkaBootstrapServers });
  }
}

function validate(name: string, self: pulumi.Resource, sku: EventHubsSku, capacity: number, maxTu: number, hubs: PlannedHub[]): void {
  const problems = eventHubsLimitProblems(sku, capacity, hubs);
  if (sku === "Premium" && maxTu > 0) problems.push("maxThroughputUnits (auto-inflate) applies to Standard only");
  if (sku === "Standard" && maxTu > 0 && maxTu < capacity)
    problems.push(`maxThroughputUnits must be >= capacity (${capacity}), got ${maxTu}`);
  if (problems.length) throw new pulumi.ResourceError(`EventHubs "${name}": ${problems.join("; ")}`, self);
}

type PlannedTopic = ReturnType<typeof allBrokerTopics>[number];

/** One event hub per topic and dead-letter topic. */
function createHubs(name: string, resourceGroupName: pulumi.Input<string>, ns: Namespace, planned: readonly PlannedTopic[]): void {
  for (const t of planned) {
    new EventHub(
      childName(name, t.name),
      {
        resourceGroupName,
        namespaceName: ns.name,
        eventHubName: t.name,
        partitionCount: t.partitions,
        retentionDescription: { cleanupPolicy: "Delete", retentionTimeInHours: t.retentionDays * 24 },
        ...(t.deadLetterOf ? { userMetadata: `dead-letter topic of ${t.deadLetterOf}` } : {}),
      },
      { parent: ns },
    );
  }
}

/** A namespace authorization rule (Dapr's Listen+Send, the lag readers' Listen) and its keys. */
function createClientKeys(
  name: string,
  resourceGroupName: pulumi.Input<string>,
  ns: Namespace,
  parent: pulumi.Resource,
  role: string,
  ruleName: string,
  rights: readonly string[],
) {
  const rule = new NamespaceAuthorizationRule(
    childName(name, role),
    {
      resourceGroupName,
      namespaceName: ns.name,
      authorizationRuleName: ruleName,
      rights: [...rights],
    },
    { parent: ns },
  );
  return listNamespaceKeysOutput({ resourceGroupName, namespaceName: ns.name, authorizationRuleName: rule.name }, { parent });
}
