import { allServices, type ServiceSpec } from "./services.js";

/**
 * Names of the secrets in the secret store (Key Vault on Azure, Kubernetes secrets locally,
 * a local file in selfhosted mode). Apps read them through the Dapr secret store, never env vars.
 * Key Vault secret names allow only alphanumerics and dashes.
 */
export const secretNames = {
  eventHubsConnectionString: "eventhubs-connection-string",
  smtpUsername: "smtp-username",
  smtpPassword: "smtp-password",
  vapidPublicKey: "vapid-public-key",
  vapidPrivateKey: "vapid-private-key",
  /** postgres://… connection string for one service's database, as the service's own role (catalog databaseRole). */
  databaseUrl: (service: string): string => `${service}-database-url`,
} as const;

/**
 * Key Vault secrets of the platform's own pods on Azure (not the services': they are not in the Dapr secret
 * store's contents). The monitoring pods and KEDA read them with their workload identities.
 */
export const platformSecretNames = {
  /** URL of the Slack-format chat webhook Alertmanager posts critical and warning alerts to. */
  alertChatWebhookUrl: "alert-chat-webhook-url",
  /** Credential of the dead-man's-switch heartbeat monitor. */
  alertHeartbeatToken: "alert-heartbeat-token",
  /** Application Insights connection string the trace collector exports with. */
  appInsightsConnectionString: "appinsights-connection-string",
  /** Event Hubs' Kafka SASL user name (the literal `$ConnectionString`), for KEDA and the lag exporter. */
  brokerSaslUsername: "eventhubs-sasl-username",
  /** Connection string of a listen-only rule: enough to read consumer-group offsets (KEDA, the lag exporter). */
  brokerListenConnectionString: "eventhubs-listen-connection-string",
} as const;

/**
 * What one target puts in its secret store, by role: the values are the target's (Pulumi outputs on
 * Azure and minikube, plain strings for `npm run dev`); which secrets exist is decided once, by
 * secretStoreContents. A new secret is a new field here, so every target must say where its value comes from.
 */
export interface SecretStoreSources<V> {
  readonly smtpUsername: V;
  readonly smtpPassword: V;
  readonly vapidPublicKey: V;
  readonly vapidPrivateKey: V;
  /** Only where the broker is Event Hubs: Dapr's Kafka pub/sub signs in with it. Kafka and Redpanda need none. */
  readonly eventHubsConnectionString?: V;
  /** The URL of a service's own database, logging in as its own role (catalog databaseRole). */
  readonly databaseUrl: (service: ServiceSpec & { database: string }) => V;
}

/**
 * The contents of a secret store, by catalog secret name: the generated keys, the SMTP credentials, the
 * broker's connection string where there is one, and a database URL per service that owns data. Key
 * Vault (Azure), the Kubernetes secrets (minikube) and the local file of `npm run dev` are all built by it.
 */
export function secretStoreContents<V>(sources: SecretStoreSources<V>, services: readonly ServiceSpec[] = allServices): Record<string, V> {
  const withDatabase = services.filter((s): s is ServiceSpec & { database: string } => typeof s.database === "string");
  return {
    [secretNames.vapidPublicKey]: sources.vapidPublicKey,
    [secretNames.vapidPrivateKey]: sources.vapidPrivateKey,
    ...(sources.eventHubsConnectionString !== undefined
      ? { [secretNames.eventHubsConnectionString]: sources.eventHubsConnectionString }
      : {}),
    [secretNames.smtpUsername]: sources.smtpUsername,
    [secretNames.smtpPassword]: sources.smtpPassword,
    ...Object.fromEntries(withDatabase.map((s) => [secretNames.databaseUrl(s.name), sources.databaseUrl(s)])),
  };
}
