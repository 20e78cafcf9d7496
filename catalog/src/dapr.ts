/** Names of the Dapr components and configuration that infra creates and apps address. */
export const daprComponents = {
  /** pubsub.kafka with one consumer group per app: each event reaches one pod of each subscribing app. */
  pubsub: "pubsub",
  /** pubsub.kafka with one consumer group per pod, for the apps whose `eventDelivery` is "fan-out". */
  pubsubBroadcast: "pubsub-broadcast",
  secretStore: "secretstore",
  stateStore: "statestore",
  archiveCron: "archive-cron",
} as const;

export const daprConfigurationName = "tasks-dapr-config";
export const daprResiliencyName = "tasks-resiliency";

/** Dapr building blocks a service may use; drives which components are scoped to it. */
export type DaprBlock = "pubsub" | "secrets" | "state" | "jobs" | "bindings.cron" | "invocation";

/**
 * Ports of the Dapr sidecar inside a pod (Kubernetes defaults). `internalGrpc` is the port sidecars
 * use to call each other (service invocation between pods, mTLS), so network policies open it.
 */
export const daprSidecarPorts = { http: 3500, grpc: 50001, internalGrpc: 50002, metrics: 9090 } as const;

/** Container ports of the Dapr control plane that every sidecar connects to (docs.dapr.io, Kubernetes overview). */
export const daprControlPlanePorts = { operator: 6500, sentry: 50001, placement: 50005, scheduler: 50006 } as const;

/** Name of the Dapr Configuration a service's sidecar loads (one per app: access control is per callee). */
export const daprConfigurationFor = (app: string): string => `${daprConfigurationName}-${app}`;

/** Namespace the Dapr control plane runs in (the Helm chart default). */
export const daprSystemNamespace = "dapr-system";

/**
 * Dapr's app API token: daprd sends it as the `dapr-api-token` header on every call to its app
 * (deliveries, jobs, bindings, invocation, /dapr/subscribe), and the apps refuse those routes without
 * it. On Kubernetes the per-app Secret (key `token`, the key Dapr's injector reads for the
 * `dapr.io/app-token-secret` annotation) feeds the sidecar and is mounted read-only into the app
 * container at `file`; `npm run dev` writes the file and gives daprd APP_API_TOKEN.
 */
export const daprAppToken = {
  header: "dapr-api-token",
  annotation: "dapr.io/app-token-secret",
  secretName: (app: string): string => `${app}-dapr-app-token`,
  secretKey: "token",
  mountDir: "/var/run/secrets/tasks/dapr-app-token",
  file: "/var/run/secrets/tasks/dapr-app-token/token",
} as const;

/**
 * Dapr's API token, the other direction: daprd refuses calls to its own HTTP API (publish, secrets,
 * state, invocation, jobs; not /v1.0/healthz) without `dapr-api-token`, so only its app can use it.
 * Without it, anything that reached a sidecar's API could invoke that sidecar's own app with any
 * `dapr-caller-app-id` (Dapr passes headers through when an app invokes itself). Same layout as the
 * app token: a per-app Secret for the `dapr.io/api-token-secret` annotation, mounted read-only into the app.
 */
export const daprApiToken = {
  header: "dapr-api-token",
  annotation: "dapr.io/api-token-secret",
  secretName: (app: string): string => `${app}-dapr-api-token`,
  secretKey: "token",
  mountDir: "/var/run/secrets/tasks/dapr-api-token",
  file: "/var/run/secrets/tasks/dapr-api-token/token",
} as const;
