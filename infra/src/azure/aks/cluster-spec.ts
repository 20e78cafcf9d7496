import type * as pulumi from "@pulumi/pulumi";
import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/managedCluster.js";
import { overlayRanges } from "../network/layout.js";
import type { AksClusterArgs } from "./cluster.js";
import { maintenanceWindowProblems } from "./maintenance.js";
import { agentPoolProfile, nodePoolProblems, type NodePoolSpec } from "./pools.js";

/** AksClusterArgs with every default applied (the defaults documented on the Args fields). */
export type ResolvedAksClusterArgs = ReturnType<typeof withDefaults>;

export function withDefaults(args: AksClusterArgs) {
  return {
    tier: "Standard" as const,
    privateCluster: false,
    upgradeChannel: "patch" as const,
    nodeOsUpgradeChannel: "NodeImage" as const,
    ...args,
  };
}

export const nodePools = (a: ResolvedAksClusterArgs): NodePoolSpec[] => [
  { name: "system", mode: "System", ...a.systemPool },
  { name: "user", mode: "User", ...a.userPool },
];

/** Problems with the args, each naming the option; empty when valid. */
export function aksClusterProblems(a: ResolvedAksClusterArgs): string[] {
  const problems = [...nodePools(a).flatMap(nodePoolProblems), ...maintenanceWindowProblems(a.maintenanceWindow)];
  if (!a.privateCluster && !a.authorizedIpRanges?.length)
    problems.push("authorizedIpRanges must list at least one CIDR unless privateCluster is true");
  return problems;
}

/**
 * The ManagedCluster of the AKS baseline: pools on zones 1-3, CNI overlay with Cilium, Entra ID + Azure
 * RBAC without local accounts, OIDC issuer and workload identity, auto-upgrades, the add-ons (KEDA among them).
 */
export function managedClusterArgs(a: ResolvedAksClusterArgs, controlPlaneIdentityId: pulumi.Input<string>): ManagedClusterArgs {
  const placement = { vnetSubnetId: a.nodeSubnetId, kubernetesVersion: a.kubernetesVersion, tags: a.tags };
  return {
    resourceGroupName: a.resourceGroupName,
    location: a.location,
    resourceName: a.clusterName,
    dnsPrefix: a.dnsPrefix,
    kubernetesVersion: a.kubernetesVersion,
    sku: { name: "Base", tier: a.tier },
    identity: { type: "UserAssigned", userAssignedIdentities: [controlPlaneIdentityId] },
    agentPoolProfiles: nodePools(a).map((p) => agentPoolProfile(p, placement)),
    networkProfile: {
      networkPlugin: "azure",
      networkPluginMode: "overlay",
      networkDataplane: "cilium",
      networkPolicy: "cilium",
      loadBalancerSku: "standard",
      outboundType: "loadBalancer",
      podCidr: overlayRanges.podCidr,
      serviceCidr: overlayRanges.serviceCidr,
      dnsServiceIP: overlayRanges.dnsServiceIP,
    },
    aadProfile: { managed: true, enableAzureRBAC: true, tenantID: a.tenantId, adminGroupObjectIDs: [a.adminGroupObjectId] },
    enableRBAC: true,
    disableLocalAccounts: true,
    oidcIssuerProfile: { enabled: true },
    securityProfile: { workloadIdentity: { enabled: true }, imageCleaner: { enabled: true, intervalHours: 48 } },
    apiServerAccessProfile: a.privateCluster ? { enablePrivateCluster: true } : { authorizedIPRanges: [...(a.authorizedIpRanges ?? [])] },
    autoUpgradeProfile: { upgradeChannel: a.upgradeChannel, nodeOSUpgradeChannel: a.nodeOsUpgradeChannel },
    autoScalerProfile: { expander: "least-waste", balanceSimilarNodeGroups: "true" },
    // KEDA (the AKS add-on): the event consumers scale on their consumer groups' lag (ScaledObjects).
    workloadAutoScalerProfile: { keda: { enabled: true } },
    addonProfiles: {
      omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: a.logAnalyticsWorkspaceId, useAADAuth: "true" } },
      // On: the monitoring pods (Alertmanager, the trace collector) mount their Key Vault secrets through it.
      azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true", rotationPollInterval: "2m" } },
      azurepolicy: { enabled: true, config: { version: "v2" } },
    },
    tags: a.tags,
  };
}
