import { componentSecretRefs } from "../../src/dapr/component-secret-refs.js";
import { casesFor, changed, type FixtureResource } from "../lib/harness.js";
import { daprTypes, kafkaPubsub, subscription } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();
const state: FixtureResource = {
  type: daprTypes.component,
  name: "statestore",
  props: {
    metadata: { name: "statestore", namespace: "tasks" },
    spec: {
      type: "state.postgresql",
      version: "v2",
      metadata: [
        { name: "connectionString", secretKeyRef: { name: "realtime-database-url", key: "realtime-database-url" } },
        { name: "tableName", value: "state" },
      ],
    },
    scopes: ["realtime"],
  },
};

export default casesFor(componentSecretRefs, [
  { n: 1, title: "SASL password from the secret store; username is a literal", resource: pubsub, expect: [] },
  { n: 2, title: "connection string from the secret store", resource: state, expect: [] },
  {
    n: 3,
    title: "plain SASL password",
    resource: changed(pubsub, [
      "spec.metadata.3",
      { name: "saslPassword", value: "Endpoint=sb://x/;SharedAccessKeyName=k;SharedAccessKey=abc" },
    ]),
    expect: ['Component "pubsub" sets "saslPassword" as a plain value; use secretKeyRef.'],
  },
  {
    n: 4,
    title: "plain connection string",
    resource: changed(state, ["spec.metadata.0", { name: "connectionString", value: "host=pg user=u password=p" }]),
    expect: ['Component "statestore" sets "connectionString" as a plain value; use secretKeyRef.'],
  },
  {
    n: 5,
    title: "a credential hidden in an innocent field",
    resource: changed(state, ["spec.metadata.1", { name: "url", value: "postgres://u:p4ss@pg:5432/db" }]),
    expect: ['Component "statestore" embeds a credential in the value of "url"; use secretKeyRef.'],
  },
  {
    n: 6,
    title: "fields that name a secret are not secrets",
    resource: changed(state, ["spec.metadata.1", { name: "secretStoreName", value: "secretstore" }]),
    expect: [],
  },
  { n: 7, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
