import { componentMetadataAllowedValues } from "../../src/dapr/component-metadata-allowed-values.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, subscription } from "../fixtures/dapr.js";

const pubsub = changed(kafkaPubsub(), ["spec.metadata.5", { name: "initialOffset", value: "oldest" }]);

export default casesFor(componentMetadataAllowedValues, [
  { n: 1, title: "initialOffset oldest, authType password, saslMechanism PLAINTEXT", resource: pubsub, expect: [] },
  {
    n: 2,
    title: "an offset Kafka does not know, an authType of no profile",
    resource: changed(pubsub, ["spec.metadata.5.value", "earliest"], ["spec.metadata.1.value", "sasl"]),
    expect: [
      'Component "pubsub" (pubsub.kafka v1) metadata "authType" is "sasl"; allowed: "oidc", "oidc_private_key_jwt", "password", "mtls", "none", "awsiam".',
      'Component "pubsub" (pubsub.kafka v1) metadata "initialOffset" is "earliest"; allowed: "newest", "oldest".',
    ],
  },
  { n: 3, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
