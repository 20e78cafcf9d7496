import { daprResources, type DaprSettings } from "@tasks/infra/dapr/index";

/** One setting per Dapr target the project runs: AKS (dev, prod), minikube (local), selfhosted daprd (npm run dev, integration). */
const targets: readonly DaprSettings[] = [
  { target: "aks", broker: { kind: "eventhubs", namespaceName: "namespace" }, secretStore: { kind: "keyvault", vaultName: "vault" } },
  { target: "minikube", broker: { kind: "kafka", brokers: "redpanda:9092" }, secretStore: { kind: "kubernetes" } },
  {
    target: "selfhosted",
    broker: { kind: "kafka", brokers: "127.0.0.1:9092" },
    secretStore: { kind: "localfile", secretsFile: "secrets.json" },
  },
];

/** The Dapr component types the project creates, as `<type>@<version>` (e.g. `pubsub.kafka@v1`), sorted. */
export function daprComponentTypesInUse(): string[] {
  const types = targets.flatMap((t) => daprResources(t).components.map((c) => `${c.spec.type}@${c.spec.version}`));
  return [...new Set(types)].sort();
}
