import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment.js";

/** Built-in Azure role definition GUIDs (learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const builtInRoles = {
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  aksClusterUser: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  rbacAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
} as const;

export type BuiltInRole = keyof typeof builtInRoles;

export type PrincipalType = "ServicePrincipal" | "Group" | "User";

export interface RoleAssignmentSpec {
  readonly role: BuiltInRole;
  readonly scope: pulumi.Input<string>;
  readonly principalId: pulumi.Input<string>;
  readonly principalType: PrincipalType;
  readonly subscriptionId: pulumi.Input<string>;
  readonly description?: string;
  /** ABAC condition (version 2.0), e.g. to constrain which roles a delegate may assign. */
  readonly condition?: string;
}

/** Full ARM id of a built-in role definition in a subscription. */
export const roleDefinitionId = (subscriptionId: pulumi.Input<string>, role: BuiltInRole): pulumi.Output<string> =>
  pulumi.interpolate`/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${builtInRoles[role]}`;

/** One role assignment; the principal type is always given so that a new principal is not looked up too early. */
export function assignRole(name: string, spec: RoleAssignmentSpec, parent: pulumi.Resource): RoleAssignment {
  return new RoleAssignment(
    name,
    {
      principalId: spec.principalId,
      principalType: spec.principalType,
      roleDefinitionId: roleDefinitionId(spec.subscriptionId, spec.role),
      scope: spec.scope,
      ...(spec.description ? { description: spec.description } : {}),
      ...(spec.condition ? { condition: spec.condition, conditionVersion: "2.0" } : {}),
    },
    { parent },
  );
}

/**
 * ABAC condition that lets a principal create and delete role assignments only for the listed roles
 * (the "constrain roles" pattern for Role Based Access Control Administrator).
 */
export function onlyAssignRoles(roles: readonly BuiltInRole[]): string {
  const guids = roles.map((r) => builtInRoles[r]).join(", ");
  const clause = (action: "write" | "delete", attr: "Request" | "Resource") =>
    `((!(ActionMatches{'Microsoft.Authorization/roleAssignments/${action}'})) OR ` +
    `(@${attr}[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {${guids}}))`;
  return `${clause("write", "Request")} AND ${clause("delete", "Resource")}`;
}
