import { componentMetadataRequired } from "../../src/dapr/component-metadata-required.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, keyVaultStore, subscription } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();
const redpanda = changed(pubsub, [
  "spec.metadata",
  [
    { name: "brokers", value: "redpanda:9092" },
    { name: "authType", value: "none" },
  ],
]);

export default casesFor(componentMetadataRequired, [
  { n: 1, title: "Event Hubs: brokers and the SASL profile complete", resource: pubsub, expect: [] },
  { n: 2, title: "local Redpanda: the No Authentication profile", resource: redpanda, expect: [] },
  { n: 3, title: "Key Vault with workload identity: the built-in azuread profile needs no key", resource: keyVaultStore(), expect: [] },
  {
    n: 4,
    title: "no brokers, and SASL without its mechanism",
    resource: changed(pubsub, ["spec.metadata.4"], ["spec.metadata.0"]),
    expect: [
      'Component "pubsub" (pubsub.kafka v1) lacks required metadata "brokers".',
      'Component "pubsub" (pubsub.kafka v1) satisfies none of its authentication profiles: SASL Authentication lacks saslMechanism=SHA-512|SHA-256|PLAINTEXT.',
    ],
  },
  {
    n: 5,
    title: "no authType: every profile is listed",
    resource: changed(redpanda, ["spec.metadata.1"]),
    expect: [
      'Component "pubsub" (pubsub.kafka v1) satisfies none of its authentication profiles: OIDC Authentication lacks authType=oidc, oidcTokenEndpoint, oidcClientID, oidcClientSecret; OIDC Private Key JWT Authentication lacks authType=oidc_private_key_jwt, oidcTokenEndpoint, oidcClientID, oidcClientAssertionCert, oidcClientAssertionKey; SASL Authentication lacks authType=password, saslUsername, saslPassword, saslMechanism=SHA-512|SHA-256|PLAINTEXT; mTLS Authentication lacks authType=mtls, caCert, clientCert, clientKey; No Authentication lacks authType=none; aws (built-in) lacks authType=awsiam.',
    ],
  },
  {
    n: 6,
    title: "a Key Vault store without its vault",
    resource: changed(keyVaultStore(), ["spec.metadata", []]),
    expect: ['Component "secretstore" (secretstores.azure.keyvault v1) lacks required metadata "vaultName".'],
  },
  { n: 7, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
