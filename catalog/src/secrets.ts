/**
 * Names of the secrets in the secret store (Key Vault on Azure, Kubernetes secrets locally,
 * a local file in selfhosted mode). Apps read them through the Dapr secret store, never env vars.
 * Key Vault secret names allow only alphanumerics and dashes.
 */
export const secretNames = {
  eventHubsConnectionString: "eventhubs-connection-string",
  jwtSigningKey: "jwt-signing-key",
  smtpUsername: "smtp-username",
  smtpPassword: "smtp-password",
  vapidPublicKey: "vapid-public-key",
  vapidPrivateKey: "vapid-private-key",
  /** postgres://… connection string for one service's database, as the service's own role (catalog databaseRole). */
  databaseUrl: (service: string): string => `${service}-database-url`,
} as const;
