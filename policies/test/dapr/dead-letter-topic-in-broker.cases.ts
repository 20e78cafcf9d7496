import { deadLetterTopicInBroker } from "../../src/dapr/dead-letter-topic-in-broker.js";
import { casesFor } from "../lib/harness.js";
import { catalogHubs, eventHub } from "../fixtures/azure.js";
import { subscription } from "../fixtures/dapr.js";

const kafkaTopic = (name: string) => ({
  type: "kafka:index/topic:Topic",
  name: `topic-${name}`,
  props: { name, partitions: 3, replicationFactor: 1 },
});

export default casesFor(deadLetterTopicInBroker, [
  { n: 1, title: "Event Hubs has the topic and its dead-letter hub", resources: [...catalogHubs(), subscription()], expect: [] },
  {
    n: 2,
    title: "local Kafka topics",
    resources: [kafkaTopic("task.completed"), kafkaTopic("task.completed.dlq"), subscription()],
    stack: "local",
    expect: [],
  },
  {
    n: 3,
    title: "the dead-letter hub is missing",
    resources: [eventHub("task.completed"), subscription()],
    expect: ['Subscription "sub-task-completed" has dead-letter topic "task.completed.dlq", which is not in the broker\'s topics.'],
  },
  {
    n: 4,
    title: "a dead-letter topic outside the catalog's naming, and a topic the broker lacks",
    resources: [kafkaTopic("task.completed.dlq"), subscription("task.archived", "task.completed.dlq", ["audit"])],
    stack: "local",
    expect: ['Subscription "sub-task-archived" has topic "task.archived", which is not in the broker\'s topics.'],
  },
  { n: 5, title: "a stack without broker topics", resources: [subscription()], notApplicable: true },
]);
