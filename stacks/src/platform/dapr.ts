import type { ServiceSpec } from "@tasks/catalog";
import type { DaprSettings } from "@tasks/infra/dapr/index";
import { namespaces, traceCollector } from "@tasks/infra/k8s/index";
import type { PlatformTarget } from "../contracts.js";

/** Dapr builder settings for the target. */
export function daprSettings(target: PlatformTarget, services: readonly ServiceSpec[]): DaprSettings {
  return {
    target: target.kind,
    namespace: namespaces.workloads,
    broker:
      target.broker.kind === "eventhubs"
        ? { kind: "eventhubs", namespaceName: target.broker.namespaceName }
        : { kind: "kafka", brokers: target.broker.brokers },
    secretStore:
      target.secretStore.kind === "keyvault" ? { kind: "keyvault", vaultName: target.secretStore.vaultName } : { kind: "kubernetes" },
    tracingSamplingRate: target.tracingSamplingRate,
    tracingEndpoint: {
      address: `${traceCollector.name}.${namespaces.monitoring}.svc.cluster.local:${traceCollector.grpcPort}`,
      protocol: "grpc",
    },
    services,
  };
}
