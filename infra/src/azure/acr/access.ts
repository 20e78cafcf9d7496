import * as pulumi from "@pulumi/pulumi";
import type { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment.js";
import { childName } from "../../naming.js";
import { createPrivateEndpoint } from "../network/private-endpoint.js";
import { assignRole } from "../roles.js";
import type { AzureScope, PrivateEndpointTarget } from "../scope.js";

export interface RegistryAccessArgs extends AzureScope {
  /** ARM id of a registry that exists before this stack (the bootstrap stack creates it). */
  readonly registryId: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  /** Principals (object ids) granted AcrPull, e.g. the AKS kubelet identity. */
  readonly pullPrincipals: Readonly<Record<string, pulumi.Input<string>>>;
  /** Premium registries: a private endpoint in this stack's VNet, so nodes pull without leaving it. */
  readonly privateEndpoint?: PrivateEndpointTarget;
}

/**
 * What an application stack adds to the registry CI pushes to: pull rights for the cluster's kubelet and, for
 * a Premium registry, a private endpoint in the stack's VNet. The registry itself is the bootstrap stack's, so
 * that the images exist before the stack's first `pulumi up` deploys them by digest.
 */
export class RegistryAccess extends pulumi.ComponentResource {
  readonly pullAssignments: readonly RoleAssignment[];

  constructor(name: string, args: RegistryAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:RegistryAccess", name, {}, opts);
    this.pullAssignments = Object.entries(args.pullPrincipals).map(([who, principalId]) =>
      assignRole(
        childName(name, `${who}-acrpull`),
        {
          role: "acrPull",
          scope: args.registryId,
          principalId,
          principalType: "ServicePrincipal",
          subscriptionId: args.subscriptionId,
          description: `${who} pulls images`,
        },
        this,
      ),
    );
    if (args.privateEndpoint) {
      createPrivateEndpoint(
        name,
        {
          ...args.privateEndpoint,
          targetId: args.registryId,
          groupId: "registry",
          resourceGroupName: args.resourceGroupName,
          location: args.location,
          tags: args.tags,
        },
        this,
      );
    }
    this.registerOutputs({});
  }
}

/** ARM id of a registry by name, in a resource group of a subscription. */
export const registryId = (subscriptionId: pulumi.Input<string>, resourceGroupName: string, name: string): pulumi.Output<string> =>
  pulumi.interpolate`/subscriptions/${subscriptionId}/resourceGroups/${resourceGroupName}/providers/Microsoft.ContainerRegistry/registries/${name}`;

/** The login server of a registry in Azure's public cloud: the name, lower case, under azurecr.io. */
export const registryLoginServer = (name: string): string => `${name.toLowerCase()}.azurecr.io`;
