/** Names of the Dapr components and configuration that infra creates and apps address. */
export const daprComponents = {
  pubsub: "pubsub",
  secretStore: "secretstore",
  stateStore: "statestore",
  archiveCron: "archive-cron",
} as const;

export const daprConfigurationName = "tasks-dapr-config";
export const daprResiliencyName = "tasks-resiliency";

/** Dapr building blocks a service may use; drives which components are scoped to it. */
export type DaprBlock = "pubsub" | "secrets" | "state" | "jobs" | "bindings.cron" | "invocation";

/** Ports of the Dapr sidecar inside a pod (Kubernetes defaults). */
export const daprSidecarPorts = { http: 3500, grpc: 50001, metrics: 9090 } as const;

/** Namespace the Dapr control plane runs in (the Helm chart default). */
export const daprSystemNamespace = "dapr-system";
