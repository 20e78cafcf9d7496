import type * as pulumi from "@pulumi/pulumi";
import { RoleDefinition } from "@pulumi/azure-native/authorization/roleDefinition.js";

/**
 * What `pulumi preview --refresh` of an application stack needs, and nothing that changes anything: read every
 * resource, the two list operations the program calls while it runs (the Event Hubs client rule's keys and the
 * AKS user kubeconfig), and read every Kubernetes object, Secrets included (the Kubernetes provider refreshes
 * the Secrets the program owns; the built-in AKS RBAC Reader excludes Secrets).
 */
export const previewReaderPermissions = {
  actions: [
    "*/read",
    "Microsoft.EventHub/namespaces/authorizationRules/listKeys/action",
    "Microsoft.ContainerService/managedClusters/listClusterUserCredential/action",
  ],
  dataActions: ["Microsoft.ContainerService/managedClusters/*/read"],
} as const;

/** The custom read-only role of a stack's preview and drift identity, assignable in its resource group only. */
export function previewReaderRole(
  name: string,
  args: { readonly roleName: string; readonly resourceGroupId: pulumi.Input<string> },
  opts: pulumi.CustomResourceOptions,
): RoleDefinition {
  return new RoleDefinition(
    name,
    {
      scope: args.resourceGroupId,
      roleName: args.roleName,
      description: "Pulumi previews and nightly drift checks: reads the stack's Azure and Kubernetes resources, changes nothing",
      roleType: "CustomRole",
      assignableScopes: [args.resourceGroupId],
      permissions: [{ actions: [...previewReaderPermissions.actions], dataActions: [...previewReaderPermissions.dataActions] }],
    },
    opts,
  );
}
