import { secretRefKeyExists } from "../../src/dapr/secret-ref-key-exists.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, keyVaultStore, kubernetesSecret, vaultSecret } from "../fixtures/dapr.js";

const pubsub = kafkaPubsub();
const localPubsub = changed(pubsub, ["auth"]);

export default casesFor(secretRefKeyExists, [
  {
    n: 1,
    title: "Key Vault holds the referenced secret",
    resources: [pubsub, keyVaultStore(), vaultSecret("eventhubs-connection-string")],
    expect: [],
  },
  {
    n: 2,
    title: "the Kubernetes store holds the secret and key",
    resources: [localPubsub, kubernetesSecret("eventhubs-connection-string")],
    stack: "local",
    expect: [],
  },
  {
    n: 3,
    title: "Key Vault lacks the secret; a key other than the secret's name",
    resources: [
      changed(pubsub, ["spec.metadata.5", { name: "clientKey", secretKeyRef: { name: "eventhubs-connection-string", key: "primary" } }]),
      keyVaultStore(),
      vaultSecret("eventhubs-connection-strng"),
    ],
    expect: [
      'Component "pubsub" (pubsub.kafka v1) metadata "saslPassword" refers to secret "eventhubs-connection-string" key "eventhubs-connection-string", but Key Vault "tasks-dev-kv" has no secret "eventhubs-connection-string".',
      'Component "pubsub" (pubsub.kafka v1) metadata "clientKey" refers to secret "eventhubs-connection-string" key "primary", but Key Vault "tasks-dev-kv" has no secret "eventhubs-connection-string".',
    ],
  },
  {
    n: 4,
    title: "a key the Kubernetes Secret does not have; a store the stack does not create",
    resources: [
      localPubsub,
      kubernetesSecret("eventhubs-connection-string", ["connectionString"]),
      changed(pubsub, ["metadata.name", "pubsub-2"], ["auth.secretStore", "vault"]),
    ],
    stack: "local",
    expect: [
      'Component "pubsub" (pubsub.kafka v1) metadata "saslPassword" refers to secret "eventhubs-connection-string" key "eventhubs-connection-string", but Secret "tasks/eventhubs-connection-string" has no key "eventhubs-connection-string" (it has connectionString).',
      'Component "pubsub-2" (pubsub.kafka v1) resolves secrets through store "vault", which the stack does not create in its namespace.',
    ],
  },
  {
    n: 5,
    title: "Key Vault secret named right, key wrong",
    resources: [
      changed(pubsub, ["spec.metadata.3.secretKeyRef.key", "value"]),
      keyVaultStore(),
      vaultSecret("eventhubs-connection-string"),
    ],
    expect: [
      'Component "pubsub" (pubsub.kafka v1) metadata "saslPassword" refers to secret "eventhubs-connection-string" key "value": a Key Vault secret holds one value, under its own name; use key "eventhubs-connection-string".',
    ],
  },
]);
