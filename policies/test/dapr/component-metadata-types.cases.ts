import { componentMetadataTypes } from "../../src/dapr/component-metadata-types.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, subscription } from "../fixtures/dapr.js";

const pubsub = changed(
  kafkaPubsub(),
  ["spec.metadata.5", { name: "maxMessageBytes", value: "1048576" }],
  ["spec.metadata.6", { name: "consumeRetryInterval", value: "200ms" }],
  ["spec.metadata.7", { name: "consumeRetryEnabled", value: "true" }],
);

export default casesFor(componentMetadataTypes, [
  { n: 1, title: "a number, a duration, a boolean", resource: pubsub, expect: [] },
  {
    n: 2,
    title: "a duration in whole seconds, as daprd also reads it",
    resource: changed(pubsub, ["spec.metadata.6.value", "30"]),
    expect: [],
  },
  {
    n: 3,
    title: "a size with a unit where a number is expected, a duration without unit suffix, a misspelt boolean",
    resource: changed(pubsub, ["spec.metadata.5.value", "1Mi"], ["spec.metadata.6.value", "200 millis"], ["spec.metadata.7.value", "ture"]),
    expect: [
      'Component "pubsub" (pubsub.kafka v1) metadata "maxMessageBytes" is "1Mi", which is not a number.',
      'Component "pubsub" (pubsub.kafka v1) metadata "consumeRetryInterval" is "200 millis", which is not a duration such as "30s", "5m" or "1h30m" (or whole seconds).',
      'Component "pubsub" (pubsub.kafka v1) metadata "consumeRetryEnabled" is "ture", which is not a boolean (true or false; daprd reads anything but y, yes, true, t, on, 1 as false).',
    ],
  },
  {
    n: 4,
    title: "an unknown component type is another policy's finding",
    resource: changed(pubsub, ["spec.type", "pubsub.nats"]),
    notApplicable: true,
  },
  { n: 5, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
