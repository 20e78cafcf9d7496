import { componentMetadataNames } from "../../src/dapr/component-metadata-names.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, keyVaultStore, subscription } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();
const cron = {
  ...pubsub,
  name: "archive",
  props: {
    metadata: { name: "archive", namespace: "tasks" },
    spec: {
      type: "bindings.cron",
      version: "v1",
      metadata: [
        { name: "schedule", value: "@every 1h" },
        { name: "direction", value: "input" },
        { name: "route", value: "/archive" },
      ],
    },
    scopes: ["notifications"],
  },
};

export default casesFor(componentMetadataNames, [
  { n: 1, title: "Event Hubs pub/sub: every key is in pubsub/kafka/metadata.yaml or its SASL profile", resource: pubsub, expect: [] },
  { n: 2, title: "the runtime's own binding keys (direction, route) and a built-in profile's", resource: cron, expect: [] },
  {
    n: 3,
    title: "a misspelt Kafka key: daprd would ignore it and start from the newest offset",
    resource: changed(pubsub, ["spec.metadata.5", { name: "intialOffset", value: "oldest" }]),
    expect: [
      'Component "pubsub" (pubsub.kafka v1) sets unknown metadata "intialOffset"; did you mean "initialOffset"? (not in pubsub/kafka/metadata.yaml of components-contrib v1.18.3).',
    ],
  },
  {
    n: 4,
    title: "names compare without case, as daprd reads them; a key set twice",
    resource: changed(pubsub, ["spec.metadata.5", { name: "BROKERS", value: "x:9093" }]),
    expect: ['Component "pubsub" (pubsub.kafka v1) sets metadata "BROKERS" twice; daprd keeps only one of them.'],
  },
  {
    n: 5,
    title: "a key of no component, nothing close",
    resource: changed(keyVaultStore(), ["spec.metadata.1", { name: "replicationMode", value: "geo" }]),
    expect: [
      'Component "secretstore" (secretstores.azure.keyvault v1) sets unknown metadata "replicationMode" (not in secretstores/azure/keyvault/metadata.yaml of components-contrib v1.18.3).',
    ],
  },
  {
    n: 6,
    title: "a component version daprd does not have",
    resource: changed(pubsub, ["spec.version", "v2"]),
    expect: [
      'Component "pubsub" (pubsub.kafka v2): components-contrib v1.18.3 has no component pubsub.kafka at version v2; daprd cannot load it (or its schema is missing here: npm run policy -- --write-dapr-metadata).',
    ],
  },
  { n: 7, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
