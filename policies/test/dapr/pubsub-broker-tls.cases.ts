import { pubsubBrokerTls } from "../../src/dapr/pubsub-broker-tls.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, subscription } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();

export default casesFor(pubsubBrokerTls, [
  { n: 1, title: "dev: SASL over TLS to Event Hubs", resource: pubsub, expect: [] },
  {
    n: 2,
    title: "prod: authType none",
    stack: "prod",
    resource: changed(pubsub, ["spec.metadata.1.value", "none"]),
    expect: ['Component "pubsub" must authenticate to the broker: authType is "none".'],
  },
  {
    n: 3,
    title: "dev: TLS disabled",
    resource: changed(pubsub, ["spec.metadata.5", { name: "disableTls", value: "true" }]),
    expect: ['Component "pubsub" disables TLS to the broker (disableTls: "true").'],
  },
  {
    n: 4,
    title: "dev: no authType",
    resource: changed(pubsub, ["spec.metadata.1"]),
    expect: ['Component "pubsub" must authenticate to the broker: authType is not set.'],
  },
  {
    n: 5,
    title: "local Redpanda without auth",
    stack: "local",
    resource: changed(pubsub, ["spec.metadata.1.value", "none"]),
    notApplicable: true,
  },
  { n: 6, title: "other component types", resource: changed(pubsub, ["spec.type", "state.postgresql"]), notApplicable: true },
  { n: 7, title: "not a Component", resource: subscription(), notApplicable: true },
]);
