import * as pulumi from "@pulumi/pulumi";
import type { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment.js";
import { RecordSet } from "@pulumi/azure-native/dns/recordSet.js";
import { PublicIPAddress } from "@pulumi/azure-native/network/publicIPAddress.js";
import { childName } from "../../naming.js";
import { assignRole } from "../roles.js";
import type { AzureScope } from "../scope.js";

export interface IngressAddressArgs extends AzureScope {
  /** Physical name of the public IP (the ingress Service names it in `azure-pip-name`). */
  readonly publicIpName: string;
  /** The public host, e.g. `tasks.dev.example.com`; must be `dnsZone.name` or a name inside it. */
  readonly host: string;
  /** The Azure DNS zone of the host (the bootstrap stack's). */
  readonly dnsZone: { readonly name: string; readonly resourceGroupName: string };
  /** The AKS control plane's identity: it attaches the address to the cluster's load balancer. */
  readonly controlPlanePrincipalId: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  /** @default 300 */
  readonly ttlSeconds?: number;
}

/** The record set name of `host` in `zone`: `@` for the apex, else the labels before the zone. */
export function relativeRecordName(host: string, zone: string): string {
  if (host === zone) return "@";
  if (!host.endsWith(`.${zone}`)) throw new Error(`host ${host} is not in the DNS zone ${zone}`);
  return host.slice(0, -zone.length - 1);
}

/**
 * The ingress's public address, owned by the program: a static, zone-redundant Standard public IP that the
 * ingress Service asks for by name, and an A record in the stack's DNS zone that aliases it (Azure DNS alias
 * record: it follows the IP resource, so no address is ever copied by hand). ACME's HTTP-01 challenge and the
 * smoke test need both before the first certificate can be issued.
 */
export class IngressAddress extends pulumi.ComponentResource {
  readonly publicIpName: pulumi.Output<string>;
  readonly ipAddress: pulumi.Output<string>;
  readonly fqdn: string;
  /** The control plane's right to use the address: the ingress Service waits for it. */
  readonly assignment: RoleAssignment;

  constructor(name: string, args: IngressAddressArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:IngressAddress", name, {}, opts);
    let recordName: string;
    try {
      recordName = relativeRecordName(args.host, args.dnsZone.name);
    } catch (e) {
      throw new pulumi.ResourceError(`IngressAddress "${name}": ${(e as Error).message}`, this);
    }
    const ip = new PublicIPAddress(
      childName(name, "ip"),
      {
        resourceGroupName: args.resourceGroupName,
        location: args.location,
        publicIpAddressName: args.publicIpName,
        sku: { name: "Standard", tier: "Regional" },
        publicIPAllocationMethod: "Static",
        publicIPAddressVersion: "IPv4",
        zones: ["1", "2", "3"],
        tags: args.tags,
      },
      { parent: this },
    );
    this.assignment = assignRole(
      childName(name, "control-plane"),
      {
        role: "networkContributor",
        scope: ip.id,
        principalId: args.controlPlanePrincipalId,
        principalType: "ServicePrincipal",
        subscriptionId: args.subscriptionId,
        description: "AKS control plane attaches the ingress address to the cluster's load balancer",
      },
      ip,
    );
    new RecordSet(
      childName(name, "record"),
      {
        resourceGroupName: args.dnsZone.resourceGroupName,
        zoneName: args.dnsZone.name,
        relativeRecordSetName: recordName,
        recordType: "A",
        ttl: args.ttlSeconds ?? 300,
        targetResource: { id: ip.id },
      },
      { parent: this },
    );
    this.publicIpName = ip.name;
    this.ipAddress = ip.ipAddress.apply((a) => a ?? "");
    this.fqdn = args.host;
    this.registerOutputs({ ipAddress: this.ipAddress });
  }
}
