import type * as pulumi from "@pulumi/pulumi";
import { PrivateDnsZoneGroup } from "@pulumi/azure-native/network/privateDnsZoneGroup.js";
import { PrivateEndpoint } from "@pulumi/azure-native/network/privateEndpoint.js";
import { childName } from "../../naming.js";
import type { AzureScope, PrivateEndpointTarget } from "../scope.js";

export interface PrivateEndpointArgs extends AzureScope, PrivateEndpointTarget {
  /** ARM id of the resource the endpoint connects to. */
  readonly targetId: pulumi.Input<string>;
  /** Private link sub-resource, e.g. `vault`, `namespace`, `registry`. */
  readonly groupId: string;
}

/** A private endpoint for one resource, registered in its private DNS zone; children of `parent`. */
export function createPrivateEndpoint(name: string, args: PrivateEndpointArgs, parent: pulumi.Resource): PrivateEndpoint {
  const endpoint = new PrivateEndpoint(
    childName(name, "pe"),
    {
      resourceGroupName: args.resourceGroupName,
      location: args.location,
      subnet: { id: args.subnetId },
      privateLinkServiceConnections: [{ name: `${name}-${args.groupId}`, privateLinkServiceId: args.targetId, groupIds: [args.groupId] }],
      tags: args.tags,
    },
    { parent },
  );
  new PrivateDnsZoneGroup(
    childName(name, "pe-dns"),
    {
      resourceGroupName: args.resourceGroupName,
      privateEndpointName: endpoint.name,
      privateDnsZoneGroupName: "default",
      privateDnsZoneConfigs: [{ name: args.groupId, privateDnsZoneId: args.privateDnsZoneId }],
    },
    { parent: endpoint },
  );
  return endpoint;
}
