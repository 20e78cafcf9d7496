import * as pulumi from "@pulumi/pulumi";
import { ManagedCluster } from "@pulumi/azure-native/containerservice/managedCluster.js";
import type { AzureScope } from "../scope.js";
import { attachClusterExtras, createControlPlaneIdentity } from "./cluster-extras.js";
import { aksClusterProblems, managedClusterArgs, withDefaults } from "./cluster-spec.js";
import { createMaintenanceWindows, type MaintenanceWindow } from "./maintenance.js";
import type { NodePoolSize } from "./pools.js";

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
}

/**
 * AKS in the shape of the AKS baseline: Standard tier, a tainted system pool and a user pool on zones
 * 1-3 with the autoscaler, Azure CNI overlay with Cilium network policy, OIDC issuer and workload
 * identity, managed Entra ID with Azure RBAC and no local accounts, auto-upgrades inside a weekly
 * maintenance window, Container Insights and the Azure Policy add-on.
 */
export class AksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterId: pulumi.Output<string>;
  readonly oidcIssuerUrl: pulumi.Output<string>;
  readonly kubeletObjectId: pulumi.Output<string>;
  readonly kubeletClientId: pulumi.Output<string>;
  /** The control plane's identity (it manages the node subnet's load balancers and the ingress address). */
  readonly controlPlanePrincipalId: pulumi.Output<string>;

  constructor(name: string, args: AksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:AksCluster", name, {}, opts);
    const a = withDefaults(args);
    const problems = aksClusterProblems(a);
    if (problems.length) throw new pulumi.ResourceError(`AksCluster "${name}": ${problems.join("; ")}`, this);

    const subnetAccess = createControlPlaneIdentity(name, a, this);
    const cluster = new ManagedCluster(name, managedClusterArgs(a, subnetAccess.identityId), {
      parent: this,
      dependsOn: [subnetAccess.assignment],
      // The autoscaler owns the node count after creation (pulumi/pulumi-azure#780, pulumi/pulumi-azure-native#2943).
      ignoreChanges: ["agentPoolProfiles[*].count"],
    });
    createMaintenanceWindows(name, cluster, a.resourceGroupName, a.maintenanceWindow);
    attachClusterExtras(name, a, cluster);

    this.controlPlanePrincipalId = subnetAccess.principalId;
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
