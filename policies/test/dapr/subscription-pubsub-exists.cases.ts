import { subscriptionPubsubExists } from "../../src/dapr/subscription-pubsub-exists.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, keyVaultStore, subscription } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();
const sub = subscription();

export default casesFor(subscriptionPubsubExists, [
  { n: 1, title: "the subscription's pubsub exists and loads into every subscriber", resources: [pubsub, sub], expect: [] },
  {
    n: 2,
    title: "a pubsub the stack does not create",
    resources: [pubsub, changed(sub, ["spec.pubsubname", "pubsub-broadcast"])],
    expect: ['Subscription "sub-task-completed" names pubsub "pubsub-broadcast", which the stack does not create in namespace "tasks".'],
  },
  {
    n: 3,
    title: "the pubsub is not scoped to one of the subscribers",
    resources: [changed(pubsub, ["scopes", ["tasks-api", "recurrence", "notifications", "audit"]]), sub],
    expect: ['Subscription "sub-task-completed" is scoped to realtime, but pubsub "pubsub" is not: that sidecar never loads it.'],
  },
  {
    n: 4,
    title: "a pubsub name that is another kind of component, in another namespace",
    resources: [changed(keyVaultStore(), ["metadata.name", "pubsub"]), changed(pubsub, ["metadata.namespace", "other"]), sub],
    expect: ['Subscription "sub-task-completed" names "pubsub", a secretstores.azure.keyvault component, not a pub/sub.'],
  },
]);
