import type * as pulumi from "@pulumi/pulumi";
import type { ManagedCluster } from "@pulumi/azure-native/containerservice/managedCluster.js";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity.js";
import { DataCollectionRuleAssociation } from "@pulumi/azure-native/monitor/dataCollectionRuleAssociation.js";
import { childName } from "../../naming.js";
import { assignRole } from "../roles.js";
import type { ResolvedAksClusterArgs } from "./cluster-spec.js";

/**
 * A user-assigned control-plane identity, so that it can be granted the node subnet before the cluster
 * exists; the cluster waits for the assignment.
 */
export function createControlPlaneIdentity(
  name: string,
  a: ResolvedAksClusterArgs,
  parent: pulumi.Resource,
): { identityId: pulumi.Output<string>; principalId: pulumi.Output<string>; assignment: pulumi.Resource } {
  const controlPlane = new UserAssignedIdentity(
    childName(name, "control-plane"),
    { resourceGroupName: a.resourceGroupName, location: a.location, tags: a.tags },
    { parent },
  );
  const assignment = assignRole(
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
  return { identityId: controlPlane.id, principalId: controlPlane.principalId, assignment };
}

/**
 * What hangs off the cluster: Container Insights' data collection. The admins group's cluster roles and the Pod
 * Security initiative are the bootstrap stack's (scoped to the resource group: governance the deployer cannot
 * change).
 */
export function attachClusterExtras(name: string, a: ResolvedAksClusterArgs, cluster: ManagedCluster): void {
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
}
