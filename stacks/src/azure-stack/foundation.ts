import type * as pulumi from "@pulumi/pulumi";
import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig.js";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup.js";
import { RandomString } from "@pulumi/random/randomString.js";
import { daprSystemNamespace } from "@tasks/catalog";
import { azureName, childName } from "@tasks/infra/naming";
import { AksCluster } from "@tasks/infra/azure/aks/index";
import { ContainerRegistry } from "@tasks/infra/azure/acr/index";
import { AksAdminsGroup } from "@tasks/infra/azure/entra/index";
import { LogAnalytics } from "@tasks/infra/azure/monitoring/index";
import { Network } from "@tasks/infra/azure/network/index";
import type { AzureScope } from "@tasks/infra/azure/scope";
import { standardTags } from "../config/common.js";
import type { AzureStackConfig } from "../config/azure.js";

/** What every step of the Azure stack shares: config, name prefix, resource group scope, client, naming. */
export interface AzureContext {
  readonly cfg: AzureStackConfig;
  /** `tasks-<stack>`: the prefix of every resource name. */
  readonly prefix: string;
  readonly rg: ResourceGroup;
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
  const rg = new ResourceGroup(prefix, { resourceGroupName: azureName("resourceGroup", `rg-${prefix}`), location: cfg.location, tags });
  return { cfg, prefix, rg, scope: { resourceGroupName: rg.name, location: cfg.location, tags }, client, unique };
}

export interface Foundation {
  readonly network: Network;
  readonly logs: LogAnalytics;
  readonly admins: AksAdminsGroup;
  readonly aks: AksCluster;
  readonly acr: ContainerRegistry;
}

/** Step 1 of the Azure stack: the network, Log Analytics, the AKS admins group, the cluster and the registry. */
export function createFoundation(ctx: AzureContext): Foundation {
  const { cfg, prefix, scope } = ctx;
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
  const aks = createCluster(ctx, network, logs, admins);
  return { network, logs, admins, aks, acr: createRegistry(ctx, network, aks) };
}

function createCluster(ctx: AzureContext, network: Network, logs: LogAnalytics, admins: AksAdminsGroup): AksCluster {
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
    authorizedIpRanges: cfg.allowedIpRanges,
    adminGroupObjectId: admins.objectId,
    tenantId: ctx.client.tenantId,
    subscriptionId: ctx.client.subscriptionId,
    logAnalyticsWorkspaceId: logs.workspaceId,
    containerInsightsRuleId: logs.containerInsightsRuleId,
    upgradeChannel: cfg.aks.upgradeChannel,
    nodeOsUpgradeChannel: cfg.aks.nodeOsUpgradeChannel,
    maintenanceWindow: cfg.aks.maintenanceWindow,
    podSecurityEffect: cfg.aks.podSecurityEffect,
    podSecurityExcludedNamespaces: ["kube-system", "gatekeeper-system", "azure-arc", daprSystemNamespace],
  });
}

function createRegistry(ctx: AzureContext, network: Network, aks: AksCluster): ContainerRegistry {
  const { cfg, prefix } = ctx;
  const premiumAcr = cfg.acr.sku === "Premium";
  return new ContainerRegistry(childName(prefix, "acr"), {
    ...ctx.scope,
    registryName: ctx.unique("containerRegistry", `${prefix}acr`),
    sku: cfg.acr.sku,
    zoneRedundant: cfg.acr.zoneRedundant,
    subscriptionId: ctx.client.subscriptionId,
    pullPrincipals: { kubelet: aks.kubeletObjectId },
    ...(premiumAcr
      ? {
          allowedIpRanges: cfg.allowedIpRanges,
          privateEndpoint: { subnetId: network.subnetIds.privateEndpoints, privateDnsZoneId: network.privateDnsZoneIds.containerRegistry },
        }
      : {}),
  });
}
