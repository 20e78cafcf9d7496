import { componentMetadataSensitive } from "../../src/dapr/component-metadata-sensitive.js";
import { casesFor, changed, type FixtureResource } from "../lib/harness.js";
import { kafkaPubsub, subscription } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();
const state: FixtureResource = {
  ...pubsub,
  name: "statestore",
  props: {
    metadata: { name: "statestore", namespace: "tasks" },
    spec: {
      type: "state.postgresql",
      version: "v1",
      metadata: [{ name: "connectionString", secretKeyRef: { name: "realtime-database-url", key: "realtime-database-url" } }],
    },
    scopes: ["realtime"],
  },
};

export default casesFor(componentMetadataSensitive, [
  { n: 1, title: "the SASL password and the connection string from the secret store", resource: pubsub, expect: [] },
  { n: 2, title: "Postgres state store", resource: state, expect: [] },
  {
    n: 3,
    title: "a connection string in plain text (sensitive in state/postgresql/v1/metadata.yaml)",
    resource: changed(state, ["spec.metadata.0", { name: "connectionString", value: "host=pg user=realtime" }]),
    expect: [
      'Component "statestore" (state.postgresql v1) metadata "connectionString" is a credential (sensitive in the schema) set as a plain value; use secretKeyRef.',
    ],
  },
  {
    n: 4,
    title: "both value and secretKeyRef; a reference without its key",
    resource: changed(
      pubsub,
      ["spec.metadata.3.value", "x"],
      ["spec.metadata.5", { name: "clientKey", secretKeyRef: { name: "kafka-client" } }],
    ),
    expect: [
      'Component "pubsub" (pubsub.kafka v1) metadata "saslPassword" must have exactly one of value and secretKeyRef.',
      'Component "pubsub" (pubsub.kafka v1) metadata "clientKey" has a secretKeyRef without a name and a key.',
    ],
  },
  { n: 5, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
