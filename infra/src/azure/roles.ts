import * as pulumi from "@pulumi/pulumi";
import { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment.js";

/** Built-in Azure role definition GUIDs (learn.microsoft.com/azure/role-based-access-control/built-in-roles). */
export const builtInRoles = {
  acrPull: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  acrPush: "8311e382-0749-4cb8-b61a-304f252e45ec",
  aksClusterUser: "4abbcc35-e782-43d8-92c5-2d3f1bd2253f",
  aksRbacClusterAdmin: "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b",
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  dnsZoneContributor: "befefa01-2a29-4197-83a8-272ff33ce314",
  keyVaultCryptoUser: "12338af0-0e69-4776-bea7-57ae8d297424",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
  monitoringMetricsPublisher: "3913510d-42f4-4e42-8a64-420c390055eb",
  networkContributor: "4d97b98b-1d4f-4787-a291-c67834d212e7",
  rbacAdministrator: "f58310d9-a9f6-439a-9e8d-f62e7b41a168",
  reader: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  storageBlobDataContributor: "ba92f5b4-2d11-453d-a403-e96b0029c9fe",
  storageBlobDataReader: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1",
} as const;

export type BuiltInRole = keyof typeof builtInRoles;

export type PrincipalType = "ServicePrincipal" | "Group" | "User";

export interface RoleAssignmentSpec {
  /** A built-in role, or `{ custom: <full role definition id> }` (a RoleDefinition the program created). */
  readonly role: BuiltInRole | { readonly custom: pulumi.Input<string> };
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
      roleDefinitionId: typeof spec.role === "string" ? roleDefinitionId(spec.subscriptionId, spec.role) : spec.role.custom,
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
