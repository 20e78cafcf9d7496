import * as pulumi from "@pulumi/pulumi";
import { Subnet, type SubnetArgs } from "@pulumi/azure-native/network/subnet.js";
import { VirtualNetwork } from "@pulumi/azure-native/network/virtualNetwork.js";
import { PrivateZone } from "@pulumi/azure-native/privatedns/privateZone.js";
import { VirtualNetworkLink } from "@pulumi/azure-native/privatedns/virtualNetworkLink.js";
import { childName } from "../../naming.js";
import type { AzureScope } from "../scope.js";
import { postgresZoneName, privateLinkZones, type PrivateLinkZone } from "./dns-zones.js";
import { subnetLayout, type SubnetLayout } from "./layout.js";

export interface NetworkArgs extends AzureScope {
  /** VNet address space, a /19 or larger; see subnetLayout. */
  readonly addressSpace: string;
  /** Physical VNet name. */
  readonly vnetName: string;
  /** First label of the Postgres private DNS zone (`<prefix>.private.postgres.database.azure.com`). */
  readonly postgresZonePrefix: string;
}

type SubnetRole = keyof SubnetLayout;

/**
 * The VNet with its subnets (AKS nodes, delegated Postgres, private endpoints) and the private DNS
 * zones, linked to the VNet, that the private endpoints and Postgres register in.
 */
export class Network extends pulumi.ComponentResource {
  readonly vnetId: pulumi.Output<string>;
  readonly layout: SubnetLayout;
  readonly subnetIds: Readonly<Record<SubnetRole, pulumi.Output<string>>>;
  readonly privateDnsZoneIds: Readonly<Record<PrivateLinkZone | "postgres", pulumi.Output<string>>>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:Network", name, {}, opts);
    try {
      this.layout = subnetLayout(args.addressSpace);
    } catch (e) {
      throw new pulumi.ResourceError(`Network "${name}": addressSpace: ${(e as Error).message}`, this);
    }
    // Subnets are standalone resources; the VNet omits `subnets`, which ARM (API 2023-09-01+) reads as
    // "keep the existing subnets" (pulumi/pulumi-azure-native#611, Azure/azure-quickstart-templates#2786).
    const vnet = new VirtualNetwork(
      name,
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        virtualNetworkName: args.vnetName,
        addressSpace: { addressPrefixes: [args.addressSpace] },
        tags: args.tags,
      },
      { parent: this },
    );
    this.vnetId = vnet.id;
    this.subnetIds = createSubnets(name, args, this.layout, vnet);
    this.privateDnsZoneIds = createPrivateDnsZones(name, args, vnet);
    this.registerOutputs({ vnetId: this.vnetId });
  }
}

function createSubnets(
  name: string,
  args: NetworkArgs,
  layout: SubnetLayout,
  vnet: VirtualNetwork,
): Record<SubnetRole, pulumi.Output<string>> {
  const specs: { role: SubnetRole; subnetName: string; extra: Partial<SubnetArgs> }[] = [
    { role: "aksNodes", subnetName: "aks-nodes", extra: {} },
    {
      role: "postgres",
      subnetName: "postgres",
      extra: { delegations: [{ name: "postgres-flexible", serviceName: "Microsoft.DBforPostgreSQL/flexibleServers" }] },
    },
    { role: "privateEndpoints", subnetName: "private-endpoints", extra: { privateEndpointNetworkPolicies: "Enabled" } },
  ];
  const ids = {} as Record<SubnetRole, pulumi.Output<string>>;
  let previous: Subnet | undefined;
  for (const spec of specs) {
    // One subnet at a time: ARM rejects concurrent writes to subnets of one VNet (AnotherOperationInProgress).
    previous = new Subnet(
      childName(name, spec.subnetName),
      {
        resourceGroupName: args.resourceGroupName,
        virtualNetworkName: vnet.name,
        subnetName: spec.subnetName,
        addressPrefix: layout[spec.role],
        defaultOutboundAccess: false,
        ...spec.extra,
      },
      { parent: vnet, ...(previous ? { dependsOn: [previous] } : {}) },
    );
    ids[spec.role] = previous.id;
  }
  return ids;
}

function createPrivateDnsZones(
  name: string,
  args: NetworkArgs,
  vnet: VirtualNetwork,
): Record<PrivateLinkZone | "postgres", pulumi.Output<string>> {
  const zones: [PrivateLinkZone | "postgres", string][] = [
    ...(Object.entries(privateLinkZones) as [PrivateLinkZone, string][]),
    ["postgres", postgresZoneName(args.postgresZonePrefix)],
  ];
  const ids = {} as Record<PrivateLinkZone | "postgres", pulumi.Output<string>>;
  for (const [key, zoneName] of zones) {
    const zone = new PrivateZone(
      childName(name, `dns-${key}`),
      {
        resourceGroupName: args.resourceGroupName,
        location: "Global",
        privateZoneName: zoneName,
        tags: args.tags,
      },
      { parent: vnet },
    );
    new VirtualNetworkLink(
      childName(name, `dns-${key}-link`),
      {
        resourceGroupName: args.resourceGroupName,
        location: "Global",
        privateZoneName: zone.name,
        virtualNetwork: { id: vnet.id },
        registrationEnabled: false,
        tags: args.tags,
      },
      { parent: zone },
    );
    ids[key] = zone.id;
  }
  return ids;
}
