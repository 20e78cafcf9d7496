import * as pulumi from "@pulumi/pulumi";
import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig.js";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup.js";
import { RandomBytes } from "@pulumi/random/randomBytes.js";
import { RandomPassword } from "@pulumi/random/randomPassword.js";
import { RandomString } from "@pulumi/random/randomString.js";
import { allServices, daprSystemNamespace, databaseRole, secretNames, servicesWithDatabase, type ServiceName } from "@tasks/catalog";
import { azureName, childName } from "@tasks/infra/naming";
import { AksCluster } from "@tasks/infra/azure/aks/index";
import { ContainerRegistry } from "@tasks/infra/azure/acr/index";
import { AksAdminsGroup, GitHubDeployer } from "@tasks/infra/azure/entra/index";
import { EventHubs } from "@tasks/infra/azure/eventhubs/index";
import { WorkloadIdentities } from "@tasks/infra/azure/identity/index";
import { KeyVault } from "@tasks/infra/azure/keyvault/index";
import { aksKubernetesProvider } from "@tasks/infra/azure/kubeconfig/index";
import { LogAnalytics } from "@tasks/infra/azure/monitoring/index";
import { Network } from "@tasks/infra/azure/network/index";
import { PostgresServer } from "@tasks/infra/azure/postgres/index";
import { vapidKeysFrom } from "@tasks/infra/secrets/vapid";
import type { BuiltInRole } from "@tasks/infra/azure/roles";
import type { Provider } from "@pulumi/kubernetes/provider.js";
import { standardTags } from "./config/common.js";
import { loadAzureConfig, type AzureStackConfig } from "./config/azure.js";
import type { PlatformTarget } from "./contracts.js";
import { deployPlatform } from "./platform.js";

/** Roles the program assigns; the GitHub deployer may assign these and no others. */
const assignedRoles: readonly BuiltInRole[] = [
  "acrPull",
  "aksClusterUser",
  "aksRbacClusterAdmin",
  "keyVaultSecretsUser",
  "networkContributor",
];

/**
 * The dev and prod stacks: Azure foundation (network, AKS, ACR, Event Hubs, Key Vault, Postgres,
 * identities, Entra ID) and then the Kubernetes platform layer on the cluster. dev and prod differ
 * only by their config.
 */
export async function deployAzureStack(stack: "dev" | "prod"): Promise<Record<string, unknown>> {
  const cfg = loadAzureConfig(stack);
  const prefix = `tasks-${stack}`;
  const tags = standardTags(stack, cfg);
  const client = getClientConfigOutput();
  // Globally unique names get a random suffix kept in state, so a re-created stack never collides
  // with a soft-deleted vault of the same name.
  const suffix = new RandomString(childName(prefix, "name-suffix"), { length: 6, upper: false, special: false, numeric: true, lower: true })
    .result;
  const unique = (kind: Parameters<typeof azureName>[0], base: string) => suffix.apply((s) => azureName(kind, base, s));

  const rg = new ResourceGroup(prefix, { resourceGroupName: azureName("resourceGroup", `rg-${prefix}`), location: cfg.location, tags });
  const scope = { resourceGroupName: rg.name, location: cfg.location, tags };

  const network = new Network(childName(prefix, "network"), {
    ...scope,
    addressSpace: cfg.network.addressSpace,
    vnetName: `vnet-${prefix}`,
    postgresZonePrefix: prefix,
  });
  const logs = new LogAnalytics(childName(prefix, "logs"), { ...scope, retentionDays: cfg.logAnalytics.retentionDays });
  const admins = new AksAdminsGroup(childName(prefix, "aks-admins"), {
    displayName: `${prefix}-aks-admins`,
    members: cfg.aks.adminGroupMembers ?? [],
  });

  const aks = new AksCluster(childName(prefix, "aks"), {
    ...scope,
    clusterName: azureName("aksCluster", `aks-${prefix}`),
    dnsPrefix: azureName("aksDnsPrefix", prefix),
    kubernetesVersion: cfg.aks.kubernetesVersion,
    tier: cfg.aks.tier,
    nodeSubnetId: network.subnetIds.aksNodes,
    systemPool: { vmSize: cfg.aks.systemVmSize, minCount: cfg.aks.systemNodeCount, maxCount: cfg.aks.systemNodeMaxCount },
    userPool: { vmSize: cfg.aks.userVmSize, minCount: cfg.aks.userNodeMinCount, maxCount: cfg.aks.userNodeMaxCount },
    authorizedIpRanges: cfg.allowedIpRanges,
    adminGroupObjectId: admins.objectId,
    tenantId: client.tenantId,
    subscriptionId: client.subscriptionId,
    logAnalyticsWorkspaceId: logs.workspaceId,
    containerInsightsRuleId: logs.containerInsightsRuleId,
    upgradeChannel: cfg.aks.upgradeChannel,
    nodeOsUpgradeChannel: cfg.aks.nodeOsUpgradeChannel,
    maintenanceWindow: cfg.aks.maintenanceWindow,
    podSecurityEffect: cfg.aks.podSecurityEffect,
    podSecurityExcludedNamespaces: ["kube-system", "gatekeeper-system", "azure-arc", daprSystemNamespace],
  });

  const premiumAcr = cfg.acr.sku === "Premium";
  const acr = new ContainerRegistry(childName(prefix, "acr"), {
    ...scope,
    registryName: unique("containerRegistry", `${prefix}acr`),
    sku: cfg.acr.sku,
    zoneRedundant: cfg.acr.zoneRedundant,
    subscriptionId: client.subscriptionId,
    pullPrincipals: { kubelet: aks.kubeletObjectId },
    ...(premiumAcr
      ? {
          allowedIpRanges: cfg.allowedIpRanges,
          privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.containerRegistry },
        }
      : {}),
  });

  const eventHubs = new EventHubs(childName(prefix, "events"), {
    ...scope,
    namespaceName: unique("eventHubsNamespace", `${prefix}-evh`),
    sku: cfg.eventHubs.sku,
    capacity: cfg.eventHubs.capacity,
    maxThroughputUnits: cfg.eventHubs.maxThroughputUnits ?? 0,
    privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.eventHubs },
  });

  const postgres = new PostgresServer(childName(prefix, "postgres"), {
    ...scope,
    serverName: unique("postgresServer", `${prefix}-pg`),
    version: cfg.postgres.version,
    skuName: cfg.postgres.skuName,
    skuTier: cfg.postgres.skuTier,
    storageSizeGb: cfg.postgres.storageSizeGb,
    highAvailability: cfg.postgres.highAvailability,
    backupRetentionDays: cfg.postgres.backupRetentionDays,
    geoRedundantBackup: cfg.postgres.geoRedundantBackup,
    delegatedSubnetId: network.subnetIds.postgres,
    privateDnsZoneId: network.privateDnsZoneIds.postgres,
    tenantId: client.tenantId,
    entraAdmin: { objectId: admins.objectId, principalName: admins.displayName },
  });

  const rolePasswords = databaseRolePasswords(prefix);
  const vault = new KeyVault(childName(prefix, "kv"), {
    ...scope,
    vaultName: unique("keyVault", `${prefix}-kv`),
    tenantId: client.tenantId,
    sku: cfg.keyVault.sku,
    softDeleteRetentionDays: cfg.keyVault.softDeleteRetentionDays,
    allowedIpRanges: cfg.allowedIpRanges,
    privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.keyVault },
    secrets: vaultSecrets(prefix, cfg, eventHubs, postgres, rolePasswords),
  });

  const identities = new WorkloadIdentities(childName(prefix, "workload"), {
    ...scope,
    oidcIssuerUrl: aks.oidcIssuerUrl,
    subscriptionId: client.subscriptionId,
    roles: [{ role: "keyVaultSecretsUser", scope: vault.vaultId }],
  });

  const deployer = new GitHubDeployer(childName(prefix, "github-deployer"), {
    displayName: `${prefix}-github-deployer`,
    repository: cfg.githubRepository,
    environments: cfg.githubEnvironments ?? [],
    resourceGroupId: rg.id,
    subscriptionId: client.subscriptionId,
    assignableRoles: assignedRoles,
  });

  const { provider, kubeconfig } = aksKubernetesProvider(childName(prefix, "k8s"), {
    resourceGroupName: rg.name,
    clusterName: aks.clusterName,
    loginMode: cfg.aks.kubeloginMode,
  });
  const platform = await deployPlatform(
    platformTarget(cfg, provider, { acr, eventHubs, vault, postgres, rolePasswords, identities, network, tenantId: client.tenantId }),
  );

  return {
    resourceGroupName: rg.name,
    location: cfg.location,
    clusterName: aks.clusterName,
    oidcIssuerUrl: aks.oidcIssuerUrl,
    acrLoginServer: acr.loginServer,
    eventHubsNamespace: eventHubs.namespaceName,
    kafkaBootstrapServers: eventHubs.kafkaBootstrapServers,
    eventHubs: eventHubs.hubNames,
    keyVaultName: vault.vaultName,
    keyVaultUri: vault.vaultUri,
    keyVaultSecrets: vault.secretNames,
    postgresHost: postgres.fqdn,
    postgresDatabases: postgres.databases,
    workloadIdentityClientIds: identities.clientIds,
    aksAdminsGroupObjectId: admins.objectId,
    githubDeployerClientId: deployer.clientId,
    tenantId: client.tenantId,
    subscriptionId: client.subscriptionId,
    kubeconfig: pulumi.secret(kubeconfig),
    ...platform,
  };
}

/** One generated password per service with a database, for its own login role (catalog databaseRole). */
function databaseRolePasswords(prefix: string): Partial<Record<ServiceName, pulumi.Output<string>>> {
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
  prefix: string,
  cfg: AzureStackConfig,
  eventHubs: EventHubs,
  postgres: PostgresServer,
  rolePasswords: Partial<Record<ServiceName, pulumi.Output<string>>>,
): Record<string, pulumi.Input<string>> {
  // Named after the secret: scripts/lib/jwt-key-from-state.ts finds it in the state by that suffix.
  const jwt = new RandomPassword(childName(prefix, secretNames.jwtSigningKey), { length: 64, special: false });
  // Web Push (VAPID) key pair: a P-256 key from 32 random bytes kept in state, as the local stack does.
  const vapid = new RandomBytes(childName(prefix, "vapid-seed"), { length: 32 }).base64.apply(vapidKeysFrom);
  return {
    [secretNames.vapidPublicKey]: vapid.publicKey,
    [secretNames.vapidPrivateKey]: vapid.privateKey,
    [secretNames.eventHubsConnectionString]: eventHubs.connectionString,
    [secretNames.jwtSigningKey]: jwt.result,
    [secretNames.smtpUsername]: cfg.smtp.username,
    [secretNames.smtpPassword]: cfg.smtpPassword,
    ...Object.fromEntries(
      servicesWithDatabase().map((s) => [
        secretNames.databaseUrl(s.name),
        postgres.databaseUrl(s.database, { user: databaseRole(s.name), password: rolePasswords[s.name]! }),
      ]),
    ),
  };
}

interface Foundation {
  readonly acr: ContainerRegistry;
  readonly eventHubs: EventHubs;
  readonly vault: KeyVault;
  readonly postgres: PostgresServer;
  readonly rolePasswords: Partial<Record<ServiceName, pulumi.Output<string>>>;
  readonly identities: WorkloadIdentities;
  readonly network: Network;
  readonly tenantId: pulumi.Output<string>;
}

function platformTarget(cfg: AzureStackConfig, provider: Provider, f: Foundation): PlatformTarget {
  const identities: Partial<Record<ServiceName, pulumi.Input<string>>> = {};
  for (const s of allServices) {
    const id = f.identities.clientIds[s.name];
    if (id) identities[s.name] = id;
  }
  return {
    environment: cfg.environment,
    kind: "aks",
    provider,
    highAvailability: cfg.highAvailability,
    registry: { loginServer: f.acr.loginServer },
    ...(cfg.imageDigests ? { imageDigests: cfg.imageDigests } : {}),
    broker: { kind: "eventhubs", namespaceName: f.eventHubs.namespaceName },
    secretStore: { kind: "keyvault", vaultName: f.vault.vaultName, tenantId: f.tenantId },
    postgres: { host: f.postgres.fqdn, port: 5432, sslMode: "require" },
    // The Job waits for the server's databases (children of the PostgresServer component).
    databaseRoles: { adminUrl: f.postgres.adminUrl(), passwords: f.rolePasswords, dependsOn: [f.postgres] },
    identities,
    host: cfg.domain,
    tls: { issuer: cfg.tlsIssuer, acmeEmail: cfg.acmeEmail },
    egressCidrs: {
      postgres: [f.network.layout.postgres],
      broker: [f.network.layout.privateEndpoints],
      keyvault: [f.network.layout.privateEndpoints],
      smtp: [...cfg.smtp.egressCidrs],
    },
    smtp: { host: cfg.smtp.host, port: cfg.smtp.port, from: cfg.smtp.from },
  };
}
