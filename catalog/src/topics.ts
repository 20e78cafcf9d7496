/**
 * Topics carried by the broker (Event Hubs on Azure, Redpanda/Kafka elsewhere).
 * Every topic has a dead-letter topic; infra creates both, apps publish and subscribe by these names.
 */
export interface TopicSpec {
  readonly name: string;
  /** Events on this topic are CloudEvents of this `type`. */
  readonly eventType: string;
  /** Kafka partitions / Event Hubs partition count. */
  readonly partitions: number;
  /** Retention in days; Event Hubs Standard allows at most 7. */
  readonly retentionDays: number;
  /** Name of the topic that receives messages a subscriber dropped or could not process. */
  readonly deadLetterTopic: string;
}

/** What a topic's dead-letter topic is called: the topic's name and this suffix. */
export const deadLetterSuffix = ".dlq";

/** The name of a topic's dead-letter topic (TopicSpec.deadLetterTopic of catalog topics). */
export const deadLetterTopicName = (topic: string): string => `${topic}${deadLetterSuffix}`;

function topic(name: string, partitions = 4, retentionDays = 7): TopicSpec {
  return { name, eventType: `com.tasks.${name}`, partitions, retentionDays, deadLetterTopic: deadLetterTopicName(name) };
}

export const topics = {
  taskCreated: topic("task.created"),
  taskUpdated: topic("task.updated"),
  taskCompleted: topic("task.completed"),
  taskDeleted: topic("task.deleted"),
  /**
   * A calendar feed was created or revoked (`data.change`); the feed's id, owner and name, never its token
   * or the token's hash. One topic for both changes: dev's Event Hubs Standard namespace holds at most 10 event
   * hubs, and the four task topics, this one and their dead-letter topics are exactly 10. Few events: 1 partition.
   */
  calendarFeedChanged: topic("calendar-feed.changed", 1),
} as const satisfies Record<string, TopicSpec>;

export type TopicKey = keyof typeof topics;
/** The topics whose events carry a task (`data.task`): every consumer of task changes subscribes to these. */
export const taskTopicKeys = ["taskCreated", "taskUpdated", "taskCompleted", "taskDeleted"] as const satisfies readonly TopicKey[];
export type TaskTopicKey = (typeof taskTopicKeys)[number];
export type TopicName = (typeof topics)[TopicKey]["name"];

export const allTopics: readonly TopicSpec[] = Object.values(topics);

/** Every broker topic that must exist: the topics and their dead-letter topics. */
export function allBrokerTopics(
  list: readonly TopicSpec[] = allTopics,
): { name: string; partitions: number; retentionDays: number; deadLetterOf?: string }[] {
  return list.flatMap((t) => [
    { name: t.name, partitions: t.partitions, retentionDays: t.retentionDays },
    { name: t.deadLetterTopic, partitions: 1, retentionDays: t.retentionDays, deadLetterOf: t.name },
  ]);
}

export function topicByName(name: string): TopicSpec {
  const found = allTopics.find((t) => t.name === name);
  if (!found) throw new Error(`Unknown topic "${name}"; known topics: ${allTopics.map((t) => t.name).join(", ")}`);
  return found;
}
