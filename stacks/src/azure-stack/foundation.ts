import type * as pulumi from "@pulumi/pulumi";
import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig.js";
import { RandomString } from "@pulumi/random/randomString.js";
import { azureName, childName } from "@tasks/infra/naming";
import { AksCluster } from "@tasks/infra/azure/aks/index";
import { RegistryAccess, registryId, registryLoginServer } from "@tasks/infra/azure/acr/index";
import { LogAnalytics } from "@tasks/infra/azure/monitoring/index";
import { IngressAddress, Network } from "@tasks/infra/azure/network/index";
import type { AzureScope } from "@tasks/infra/azure/scope";
import { standardTags } from "../config/common.js";
import type { AzureStackConfig } from "../config/azure.js";

/** What every step of the Azure stack shares: config, name prefix, resource group scope, client, naming. */
export interface AzureContext {
  readonly cfg: AzureStackConfig;
  /** `tasks-<stack>`: the prefix of every resource name. */
  readonly prefix: string;
  /** The stack's resource group: the bootstrap stack's (the deployer's roles are scoped to it). */
  readonly resourceGroupName: string;
  readonly scope: AzureScope;
  readonly client: ReturnType<typeof getClientConfigOutput>;
  /** A globally unique Azure name: the base plus the stack's random suffix. */
  readonly unique: (kind: Parameters<typeof azureName>[0], base: string) => pulumi.Output<string>;
}

/** The resource group, its scope and the naming suffix every later step uses. */
export function azureContext(stack: "dev" | "prod", cfg: AzureStackConfig): AzureContext {
  const prefix = `tasks-${stack}`;
  const tags = standardTags(stack, cfg);
  const client = getClientConfigOutput();
  // Globally unique names get a random suffix kept in state, so a re-created stack never collides
  // with a soft-deleted vault of the same name.
  const suffix = new RandomString(childName(prefix, "name-suffix"), { length: 6, upper: false, special: false, numeric: true, lower: true })
    .result;
  const unique = (kind: Parameters<typeof azureName>[0], base: string) => suffix.apply((s) => azureName(kind, base, s));
  const resourceGroupName = cfg.bootstrap.resourceGroupName;
  return { cfg, prefix, resourceGroupName, scope: { resourceGroupName, location: cfg.location, tags }, client, unique };
}

/** The registry CI pushes the images to (the bootstrap stack's), as the platform pulls from it. */
export interface Registry {
  readonly loginServer: string;
  readonly access: RegistryAccess;
}

export interface Foundation {
  readonly network: Network;
  readonly logs: LogAnalytics;
  /** The bootstrap stack's AKS admins group (cluster admins, Postgres Entra admin). */
  readonly admins: { readonly objectId: string; readonly displayName: string };
  readonly aks: AksCluster;
  readonly acr: Registry;
  /** The ingress's static public IP and its DNS record. */
  readonly ingress: IngressAddress;
}

/** Step 1 of the Azure stack: the network, Log Analytics, the cluster, its pull access to the registry and the ingress address. */
export function createFoundation(ctx: AzureContext): Foundation {
  const { cfg, prefix, scope } = ctx;
  const network = new Network(childName(prefix, "network"), {
    ...scope,
    addressSpace: cfg.network.addressSpace,
    vnetName: `vnet-${prefix}`,
    postgresZonePrefix: prefix,
  });
  const logs = new LogAnalytics(childName(prefix, "logs"), { ...scope, retentionDays: cfg.logAnalytics.retentionDays });
  const admins = cfg.bootstrap.aksAdminsGroup;
  const aks = createCluster(ctx, network, logs, admins.objectId);
  const ingress = new IngressAddress(childName(prefix, "ingress"), {
    ...scope,
    publicIpName: `pip-${prefix}-ingress`,
    host: cfg.domain,
    dnsZone: cfg.bootstrap.dnsZone,
    controlPlanePrincipalId: aks.controlPlanePrincipalId,
    subscriptionId: ctx.client.subscriptionId,
  });
  return { network, logs, admins, aks, acr: createRegistryAccess(ctx, network, aks), ingress };
}

function createCluster(ctx: AzureContext, network: Network, logs: LogAnalytics, adminGroupObjectId: string): AksCluster {
  const { cfg, prefix } = ctx;
  return new AksCluster(childName(prefix, "aks"), {
    ...ctx.scope,
    clusterName: azureName("aksCluster", `aks-${prefix}`),
    dnsPrefix: azureName("aksDnsPrefix", prefix),
    kubernetesVersion: cfg.aks.kubernetesVersion,
    tier: cfg.aks.tier,
    nodeSubnetId: network.subnetIds.aksNodes,
    systemPool: { vmSize: cfg.aks.systemVmSize, minCount: cfg.aks.systemNodeCount, maxCount: cfg.aks.systemNodeMaxCount },
    userPool: { vmSize: cfg.aks.userVmSize, minCount: cfg.aks.userNodeMinCount, maxCount: cfg.aks.userNodeMaxCount },
    ...(cfg.aks.privateCluster ? { privateCluster: true } : { authorizedIpRanges: cfg.allowedIpRanges }),
    adminGroupObjectId,
    tenantId: ctx.client.tenantId,
    subscriptionId: ctx.client.subscriptionId,
    logAnalyticsWorkspaceId: logs.workspaceId,
    containerInsightsRuleId: logs.containerInsightsRuleId,
    upgradeChannel: cfg.aks.upgradeChannel,
    nodeOsUpgradeChannel: cfg.aks.nodeOsUpgradeChannel,
    maintenanceWindow: cfg.aks.maintenanceWindow,
  });
}

/** Pull rights for the kubelet and, for a Premium registry, a private endpoint in the VNet. */
function createRegistryAccess(ctx: AzureContext, network: Network, aks: AksCluster): Registry {
  const { cfg, prefix } = ctx;
  const registry = cfg.bootstrap.registry;
  const access = new RegistryAccess(childName(prefix, "acr"), {
    ...ctx.scope,
    registryId: registryId(ctx.client.subscriptionId, ctx.resourceGroupName, registry.name),
    subscriptionId: ctx.client.subscriptionId,
    pullPrincipals: { kubelet: aks.kubeletObjectId },
    ...(registry.sku === "Premium"
      ? { privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.containerRegistry } }
      : {}),
  });
  return { loginServer: registryLoginServer(registry.name), access };
}
