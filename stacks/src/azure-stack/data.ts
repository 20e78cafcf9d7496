import type * as pulumi from "@pulumi/pulumi";
import { RandomBytes } from "@pulumi/random/randomBytes.js";
import { RandomPassword } from "@pulumi/random/randomPassword.js";
import { databaseRole, platformSecretNames, secretStoreContents, servicesWithDatabase, type ServiceName } from "@tasks/catalog";
import { childName } from "@tasks/infra/naming";
import { EventHubs } from "@tasks/infra/azure/eventhubs/index";
import { KeyVault } from "@tasks/infra/azure/keyvault/index";
import { AppInsights } from "@tasks/infra/azure/monitoring/index";
import { PostgresServer } from "@tasks/infra/azure/postgres/index";
import { vapidKeysFrom } from "@tasks/infra/secrets/vapid";
import type { AzureContext, Foundation } from "./foundation.js";

export type RolePasswords = Partial<Record<ServiceName, pulumi.Output<string>>>;

export interface DataServices {
  readonly eventHubs: EventHubs;
  readonly postgres: PostgresServer;
  /** Each database service's own login role's password (catalog databaseRole). */
  readonly rolePasswords: RolePasswords;
  readonly vault: KeyVault;
  /** Where the trace collector sends the sidecars' spans. */
  readonly appInsights: AppInsights;
}

/** Step 2 of the Azure stack: Event Hubs, Postgres and Key Vault with the services' secrets, behind private endpoints. */
export function createDataServices(ctx: AzureContext, foundation: Foundation): DataServices {
  const { cfg, prefix, scope } = ctx;
  const { network, admins } = foundation;
  const eventHubs = new EventHubs(childName(prefix, "events"), {
    ...scope,
    namespaceName: ctx.unique("eventHubsNamespace", `${prefix}-evh`),
    sku: cfg.eventHubs.sku,
    capacity: cfg.eventHubs.capacity,
    maxThroughputUnits: cfg.eventHubs.maxThroughputUnits ?? 0,
    privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.eventHubs },
  });
  const postgres = new PostgresServer(childName(prefix, "postgres"), {
    ...scope,
    serverName: ctx.unique("postgresServer", `${prefix}-pg`),
    version: cfg.postgres.version,
    skuName: cfg.postgres.skuName,
    skuTier: cfg.postgres.skuTier,
    storageSizeGb: cfg.postgres.storageSizeGb,
    highAvailability: cfg.postgres.highAvailability,
    backupRetentionDays: cfg.postgres.backupRetentionDays,
    geoRedundantBackup: cfg.postgres.geoRedundantBackup,
    delegatedSubnetId: network.subnetIds.postgres,
    privateDnsZoneId: network.privateDnsZoneIds.postgres,
    tenantId: ctx.client.tenantId,
    entraAdmin: { objectId: admins.objectId, principalName: admins.displayName },
  });
  const rolePasswords = databaseRolePasswords(prefix);
  const appInsights = new AppInsights(childName(prefix, "appinsights"), { ...scope, workspaceId: foundation.logs.workspaceId });
  const vault = new KeyVault(childName(prefix, "kv"), {
    ...scope,
    vaultName: ctx.unique("keyVault", `${prefix}-kv`),
    tenantId: ctx.client.tenantId,
    sku: cfg.keyVault.sku,
    softDeleteRetentionDays: cfg.keyVault.softDeleteRetentionDays,
    allowedIpRanges: cfg.allowedIpRanges,
    privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.keyVault },
    secrets: { ...vaultSecrets(ctx, eventHubs, postgres, rolePasswords), ...platformSecrets(ctx, eventHubs, appInsights) },
  });
  return { eventHubs, postgres, rolePasswords, vault, appInsights };
}

/**
 * The platform pods' Key Vault secrets (catalog platformSecretNames): the alerting secrets the operator set in the
 * stack config, the Application Insights connection string, and the broker's listen-only credentials for KEDA and
 * the lag exporter.
 */
function platformSecrets(ctx: AzureContext, eventHubs: EventHubs, appInsights: AppInsights): Record<string, pulumi.Input<string>> {
  return {
    [platformSecretNames.alertChatWebhookUrl]: ctx.cfg.alertChatWebhookUrl,
    [platformSecretNames.alertHeartbeatToken]: ctx.cfg.alertHeartbeatToken,
    [platformSecretNames.appInsightsConnectionString]: appInsights.connectionString,
    [platformSecretNames.brokerSaslUsername]: "$ConnectionString",
    [platformSecretNames.brokerListenConnectionString]: eventHubs.listenConnectionString,
  };
}

/** One generated password per service with a database, for its own login role (catalog databaseRole). */
function databaseRolePasswords(prefix: string): RolePasswords {
  return Object.fromEntries(
    servicesWithDatabase().map((s) => [
      s.name,
      new RandomPassword(childName(prefix, `${s.name}-db-password`), {
        length: 32,
        special: true,
        overrideSpecial: "-_.~",
        minUpper: 2,
        minLower: 2,
        minNumeric: 2,
      }).result,
    ]),
  );
}

/**
 * The Key Vault secrets, by their catalog names; every value is secret. Each service's database URL logs
 * in as the service's own role. The administrator password is not here: only the database-roles Job
 * uses it, from its own Kubernetes Secret (people administer the server through the Entra admin group).
 */
function vaultSecrets(
  ctx: AzureContext,
  eventHubs: EventHubs,
  postgres: PostgresServer,
  rolePasswords: RolePasswords,
): Record<string, pulumi.Input<string>> {
  const { prefix, cfg } = ctx;
  // Web Push (VAPID) key pair: a P-256 key from 32 random bytes kept in state, as the local stack does.
  const vapid = new RandomBytes(childName(prefix, "vapid-seed"), { length: 32 }).base64.apply(vapidKeysFrom);
  return secretStoreContents<pulumi.Input<string>>({
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
    eventHubsConnectionString: eventHubs.connectionString,
    smtpUsername: cfg.smtp.username,
    smtpPassword: cfg.smtpPassword,
    databaseUrl: (s) => postgres.databaseUrl(s.database, { user: databaseRole(s.name), password: rolePasswords[s.name]! }),
  });
}
