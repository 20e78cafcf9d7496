import type * as pulumi from "@pulumi/pulumi";

/** Where an Azure component puts its resources, and the tags every taggable one carries. */
export interface AzureScope {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  /** environment, owner, cost-center (see stacks/src/config/common.ts standardTags). */
  readonly tags: Readonly<Record<string, string>>;
}

/** Where a component's private endpoint goes: the subnet and the private DNS zone that resolves it. */
export interface PrivateEndpointTarget {
  readonly subnetId: pulumi.Input<string>;
  readonly privateDnsZoneId: pulumi.Input<string>;
}
