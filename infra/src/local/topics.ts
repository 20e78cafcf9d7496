import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { allBrokerTopics, allTopics, type TopicSpec } from "@tasks/catalog";

const msPerDay = 24 * 60 * 60 * 1000;

export interface KafkaTopicsArgs {
  /** Bootstrap servers reachable from where Pulumi runs. */
  readonly bootstrapServers: readonly string[];
  /** @default allTopics */
  readonly topics?: readonly TopicSpec[];
  /** @default 1 (single-node broker) */
  readonly replicationFactor?: number;
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The catalog's topics and their dead-letter topics on a Kafka-API broker, with the catalog's partitions and retention. */
export class KafkaTopics extends pulumi.ComponentResource {
  readonly topics: kafka.Topic[];

  constructor(name: string, args: KafkaTopicsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:local:KafkaTopics", name, {}, opts);
    if (args.bootstrapServers.length === 0) throw new pulumi.ResourceError("bootstrapServers: give at least one host:port", this);
    const provider = new kafka.Provider(
      `${name}-provider`,
      { bootstrapServers: [...args.bootstrapServers], tlsEnabled: false, timeout: 120 },
      { parent: this },
    );
    this.topics = allBrokerTopics(args.topics ?? allTopics).map(
      (t) =>
        new kafka.Topic(
          `${name}-${t.name}`,
          {
            name: t.name,
            partitions: t.partitions,
            replicationFactor: args.replicationFactor ?? 1,
            config: { "retention.ms": String(t.retentionDays * msPerDay), "cleanup.policy": "delete" },
          },
          { parent: this, provider, dependsOn: args.dependsOn },
        ),
    );
    this.registerOutputs({});
  }
}
