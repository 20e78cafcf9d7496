import type * as pulumi from "@pulumi/pulumi";
import { PolicyAssignment } from "@pulumi/azure-native/authorization/policyAssignment.js";
import type { ManagedCluster } from "@pulumi/azure-native/containerservice/managedCluster.js";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity.js";
import { DataCollectionRuleAssociation } from "@pulumi/azure-native/monitor/dataCollectionRuleAssociation.js";
import { childName } from "../../naming.js";
import { assignRole } from "../roles.js";
import type { ResolvedAksClusterArgs } from "./cluster-spec.js";

/** Built-in initiative "Kubernetes cluster pod security restricted standards for Linux-based workloads". */
export const podSecurityRestrictedInitiative =
  "/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00";

/**
 * A user-assigned control-plane identity, so that it can be granted the node subnet before the cluster
 * exists; the cluster waits for the assignment.
 */
export function createControlPlaneIdentity(
  name: string,
  a: ResolvedAksClusterArgs,
  parent: pulumi.Resource,
): { identityId: pulumi.Output<string>; assignment: pulumi.Resource } {
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
  return { identityId: controlPlane.id, assignment };
}

/**
 * What hangs off the cluster: Container Insights' data collection, the admins group's cluster roles, and
 * the Pod Security restricted initiative.
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
}
