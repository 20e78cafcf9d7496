import { subscriptionDeadLetter } from "../../src/dapr/subscription-dead-letter.js";
import { casesFor, changed } from "../lib/harness.js";
import { daprTypes, kafkaPubsub, subscription } from "../fixtures/dapr.js";

const sub = subscription();

export default casesFor(subscriptionDeadLetter, [
  { n: 1, title: "the catalog's dead-letter topic", resource: sub, expect: [] },
  { n: 2, title: "v1alpha1 subscriptions too", resource: { ...sub, type: daprTypes.subscriptionV1 }, expect: [] },
  {
    n: 3,
    title: "a non-catalog topic with its own dead-letter topic",
    resource: subscription("billing.closed", "billing.closed.dead", ["audit"]),
    expect: [],
  },
  {
    n: 4,
    title: "no deadLetterTopic",
    resource: changed(sub, ["spec.deadLetterTopic"]),
    expect: ['Subscription "sub-task-completed" to topic "task.completed" has no deadLetterTopic.'],
  },
  {
    n: 5,
    title: "the topic itself",
    resource: subscription("billing.closed", "billing.closed"),
    expect: [
      'Subscription "sub-billing-closed" uses its own topic "billing.closed" as deadLetterTopic, which redelivers failures forever.',
    ],
  },
  {
    n: 6,
    title: "not the catalog's dead-letter topic",
    resource: changed(sub, ["spec.deadLetterTopic", "poison"]),
    expect: [
      'Subscription "sub-task-completed" sends dead letters of "task.completed" to "poison", but the catalog\'s dead-letter topic is "task.completed.dlq".',
    ],
  },
  { n: 7, title: "a Component is not a Subscription", resource: kafkaPubsub(), notApplicable: true },
]);
