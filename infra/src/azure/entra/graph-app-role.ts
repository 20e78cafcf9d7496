import type * as pulumi from "@pulumi/pulumi";
import { AppRoleAssignment } from "@pulumi/azuread/appRoleAssignment.js";
import { getServicePrincipalOutput } from "@pulumi/azuread/getServicePrincipal.js";

/** Microsoft Graph's application (client) id: the same in every tenant. */
export const msGraphAppId = "00000003-0000-0000-c000-000000000000";

/** Graph application permissions the program grants (app roles of the Microsoft Graph service principal). */
export type GraphAppRole = "Application.ReadWrite.OwnedBy";

export interface GraphAppRoleArgs {
  /** Object id of the service principal that gets the permission. */
  readonly principalObjectId: pulumi.Input<string>;
  readonly role: GraphAppRole;
}

/**
 * Grants a service principal a Microsoft Graph application permission: an app role assignment on the tenant's
 * Microsoft Graph service principal (looked up by its well-known client id). Creating the assignment is the
 * admin consent, so whoever runs this needs Privileged Role Administrator (or Global Administrator); the
 * role's id comes from Graph's own published app roles, never hard-coded.
 */
export function graphAppRoleAssignment(name: string, args: GraphAppRoleArgs, opts?: pulumi.CustomResourceOptions): AppRoleAssignment {
  const graph = getServicePrincipalOutput({ clientId: msGraphAppId }, opts?.parent ? { parent: opts.parent } : undefined);
  const appRoleId = graph.appRoleIds.apply((ids) => {
    const id = ids[args.role];
    if (!id) throw new Error(`Microsoft Graph publishes no app role "${args.role}" in this tenant`);
    return id;
  });
  return new AppRoleAssignment(name, { appRoleId, principalObjectId: args.principalObjectId, resourceObjectId: graph.objectId }, opts);
}
