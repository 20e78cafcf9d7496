import * as pulumi from "@pulumi/pulumi";
import { PolicyAssignment } from "@pulumi/azure-native/authorization/policyAssignment.js";
import { ManagedCluster } from "@pulumi/azure-native/containerservice/managedCluster.js";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity.js";
import { DataCollectionRuleAssociation } from "@pulumi/azure-native/monitor/dataCollectionRuleAssociation.js";
import { childName } from "../../naming.js";
import { assignRole } from "../roles.js";
import type { AzureScope } from "../scope.js";
import { overlayRanges } from "../network/layout.js";
import { createMaintenanceWindows, maintenanceWindowProblems, type MaintenanceWindow } from "./maintenance.js";
import { agentPoolProfile, nodePoolProblems, type NodePoolSize, type NodePoolSpec } from "./pools.js";

/** Built-in initiative "Kubernetes cluster pod security restricted standards for Linux-based workloads". */
export const podSecurityRestrictedInitiative =
  "/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00";

export interface AksClusterArgs extends AzureScope {
  readonly clusterName: string;
  readonly dnsPrefix: string;
  /** `1.33` picks the latest GA patch of that minor. */
  readonly kubernetesVersion: string;
  /** @default "Standard" */
  readonly tier?: "Standard" | "Premium";
  readonly nodeSubnetId: pulumi.Input<string>;
  readonly systemPool: NodePoolSize;
  readonly userPool: NodePoolSize;
  /** Public API server restricted to these CIDRs; required unless privateCluster. */
  readonly authorizedIpRanges?: readonly string[];
  /** Private API server (no public endpoint). @default false */
  readonly privateCluster?: boolean;
  /** Entra group given cluster admin through Azure RBAC. */
  readonly adminGroupObjectId: pulumi.Input<string>;
  readonly tenantId: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  readonly logAnalyticsWorkspaceId: pulumi.Input<string>;
  readonly containerInsightsRuleId: pulumi.Input<string>;
  /** @default "patch" */
  readonly upgradeChannel?: "patch" | "stable" | "rapid";
  /** @default "NodeImage" */
  readonly nodeOsUpgradeChannel?: "NodeImage" | "SecurityPatch";
  readonly maintenanceWindow: MaintenanceWindow;
  /** Effect of the Pod Security restricted initiative (Azure Policy add-on). @default "Audit" */
  readonly podSecurityEffect?: "Audit" | "Deny";
  /** Namespaces the initiative skips. @default ["kube-system", "gatekeeper-system", "azure-arc"] */
  readonly podSecurityExcludedNamespaces?: readonly string[];
}

/**
 * AKS in the shape of the AKS baseline: Standard tier, a tainted system pool and a user pool on zones
 * 1-3 with the autoscaler, Azure CNI overlay with Cilium network policy, OIDC issuer and workload
 * identity, managed Entra ID with Azure RBAC and no local accounts, auto-upgrades inside a weekly
 * maintenance window, Container Insights, the Key Vault CSI driver and Azure Policy add-ons.
 */
export class AksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterId: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly kubeletObjectId: pulumi.Output<string>;
  readonly kubeletClientId: pulumi.Output<string>;

  constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:AksCluster", name, {}, opts);
    const a = {
      tier: "Standard" as const,
      privateCluster: false,
      upgradeChannel: "patch" as const,
      nodeOsUpgradeChannel: "NodeImage" as const,
      podSecurityEffect: "Audit" as const,
      podSecurityExcludedNamespaces: ["kube-system", "gatekeeper-system", "azure-arc"],
      ...args,
    };
    const pools: NodePoolSpec[] = [
      { name: "system", mode: "System", ...a.systemPool },
      { name: "user", mode: "User", ...a.userPool },
    ];
    const problems = [...pools.flatMap(nodePoolProblems), ...maintenanceWindowProblems(a.maintenanceWindow)];
    if (!a.privateCluster && !a.authorizedIpRanges?.length)
      problems.push("authorizedIpRanges must list at least one CIDR unless privateCluster is true");
    if (problems.length) throw new pulumi.ResourceError(`AksCluster "${name}": ${problems.join("; ")}`, this);

    // A user-assigned control-plane identity, so that it can be granted the node subnet before the cluster exists.
    const controlPlane = new UserAssignedIdentity(
      childName(name, "control-plane"),
      {
        resourceGroupName: a.resourceGroupName,
        location: a.location,
        tags: a.tags,
      },
      { parent: this },
    );
    const subnetAccess = assignRole(
      childName(name, "control-plane-subnet"),
      {
        role: "networkContributor",
        scope: a.nodeSubnetId,
        principalId: controlPlane.principalId,
        principalType: "ServicePrincipal",
        subscriptionId: a.subscriptionId,
        description: "AKS control plane manages load balancers and IPs on the node subnet",
      },
      controlPlane,
    );

    const placement = { vnetSubnetId: a.nodeSubnetId, kubernetesVersion: a.kubernetesVersion, tags: a.tags };
    const cluster = new ManagedCluster(
      name,
      {
        resourceGroupName: a.resourceGroupName,
        location: a.location,
        resourceName: a.clusterName,
        dnsPrefix: a.dnsPrefix,
        kubernetesVersion: a.kubernetesVersion,
        sku: { name: "Base", tier: a.tier },
        identity: { type: "UserAssigned", userAssignedIdentities: [controlPlane.id] },
        agentPoolProfiles: pools.map((p) => agentPoolProfile(p, placement)),
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
        apiServerAccessProfile: a.privateCluster
          ? { enablePrivateCluster: true }
          : { authorizedIPRanges: [...(a.authorizedIpRanges ?? [])] },
        autoUpgradeProfile: { upgradeChannel: a.upgradeChannel, nodeOSUpgradeChannel: a.nodeOsUpgradeChannel },
        autoScalerProfile: { expander: "least-waste", balanceSimilarNodeGroups: "true" },
        addonProfiles: {
          omsagent: { enabled: true, config: { logAnalyticsWorkspaceResourceID: a.logAnalyticsWorkspaceId, useAADAuth: "true" } },
          azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true", rotationPollInterval: "2m" } },
          azurepolicy: { enabled: true, config: { version: "v2" } },
        },
        tags: a.tags,
      },
      {
        parent: this,
        dependsOn: [subnetAccess],
        // The autoscaler owns the node count after creation (pulumi/pulumi-azure#780, pulumi/pulumi-azure-native#2943).
        ignoreChanges: ["agentPoolProfiles[*].count"],
      },
    );

    createMaintenanceWindows(name, cluster, a.resourceGroupName, a.maintenanceWindow);
    new DataCollectionRuleAssociation(
      childName(name, "container-insights"),
      {
        associationName: "ContainerInsightsExtension",
        resourceUri: cluster.id,
        dataCollectionRuleId: a.containerInsightsRuleId,
        description: "Sends Container Insights data of this cluster to the Log Analytics workspace",
      },
      { parent: cluster },
    );
    for (const role of ["aksRbacClusterAdmin", "aksClusterUser"] as const) {
      assignRole(
        childName(name, `admins-${role === "aksRbacClusterAdmin" ? "cluster-admin" : "cluster-user"}`),
        {
          role,
          scope: cluster.id,
          principalId: a.adminGroupObjectId,
          principalType: "Group",
          subscriptionId: a.subscriptionId,
          description: "AKS admins group: Kubernetes cluster-admin through Azure RBAC, and the right to fetch the (Entra) kubeconfig",
        },
        cluster,
      );
    }
    new PolicyAssignment(
      childName(name, "pod-security"),
      {
        scope: cluster.id,
        displayName: `${a.clusterName}: pod security restricted standards`,
        policyDefinitionId: podSecurityRestrictedInitiative,
        parameters: {
          effect: { value: a.podSecurityEffect },
          excludedNamespaces: { value: [...a.podSecurityExcludedNamespaces] },
        },
      },
      { parent: cluster },
    );

    this.clusterName = cluster.name;
    this.clusterId = cluster.id;
    this.oidcIssuerUrl = cluster.oidcIssuerProfile.apply((p) => required(p?.issuerURL, "oidcIssuerProfile.issuerURL"));
    const kubelet = cluster.identityProfile.apply((p) => p?.["kubeletidentity"]);
    this.kubeletObjectId = kubelet.apply((k) => required(k?.objectId, "identityProfile.kubeletidentity.objectId"));
    this.kubeletClientId = kubelet.apply((k) => required(k?.clientId, "identityProfile.kubeletidentity.clientId"));
    this.registerOutputs({ clusterName: this.clusterName, oidcIssuerUrl: this.oidcIssuerUrl });
  }
}

function required(value: string | undefined, what: string): string {
  if (!value) throw new Error(`AKS did not report ${what}`);
  return value;
}
