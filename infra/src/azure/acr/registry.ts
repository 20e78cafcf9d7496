import * as pulumi from "@pulumi/pulumi";
import { Registry } from "@pulumi/azure-native/containerregistry/registry.js";
import { childName } from "../../naming.js";
import { createPrivateEndpoint } from "../network/private-endpoint.js";
import { assignRole } from "../roles.js";
import type { AzureScope, PrivateEndpointTarget } from "../scope.js";

export interface ContainerRegistryArgs extends AzureScope {
  /** Physical name: 5-50 letters and digits (see naming.azureName("containerRegistry", …)). */
  readonly registryName: pulumi.Input<string>;
  /** @default "Standard" */
  readonly sku?: "Basic" | "Standard" | "Premium";
  /** Zone redundancy; Premium only. @default false */
  readonly zoneRedundant?: boolean;
  /** Principals (object ids) granted AcrPull, e.g. the AKS kubelet identity. @default {} */
  readonly pullPrincipals?: Readonly<Record<string, pulumi.Input<string>>>;
  readonly subscriptionId: pulumi.Input<string>;
  /** Premium only: CIDRs allowed to reach the public endpoint (CI pushes); everything else is denied. @default [] */
  readonly allowedIpRanges?: readonly string[];
  /** Premium only: a private endpoint for pulls from the VNet. */
  readonly privateEndpoint?: PrivateEndpointTarget;
  /** Days untagged manifests are kept; Premium only. @default 7 */
  readonly untaggedRetentionDays?: number;
}

/** The image registry: no admin user, no anonymous pull; AcrPull for the given principals. */
export class ContainerRegistry extends pulumi.ComponentResource {
  readonly registryId: pulumi.Output<string>;
  readonly loginServer: pulumi.Output<string>;
  readonly sku: "Basic" | "Standard" | "Premium";

  constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:ContainerRegistry", name, {}, opts);
    const a = {
      sku: "Standard" as const,
      zoneRedundant: false,
      pullPrincipals: {},
      allowedIpRanges: [] as readonly string[],
      untaggedRetentionDays: 7,
      ...args,
    };
    const premium = a.sku === "Premium";
    const premiumOnly = premiumOnlyOptions(a);
    if (!premium && premiumOnly.length) {
      throw new pulumi.ResourceError(`ContainerRegistry "${name}": ${premiumOnly.join(", ")} need sku Premium, got ${a.sku}`, this);
    }
    const registry = new Registry(
      name,
      {
        resourceGroupName: a.resourceGroupName,
        location: a.location,
        registryName: a.registryName,
        sku: { name: a.sku },
        adminUserEnabled: false,
        anonymousPullEnabled: false,
        zoneRedundancy: a.zoneRedundant ? "Enabled" : "Disabled",
        ...(premium
          ? {
              publicNetworkAccess: "Enabled",
              networkRuleSet: { defaultAction: "Deny", ipRules: a.allowedIpRanges.map((r) => ({ action: "Allow", iPAddressOrRange: r })) },
              networkRuleBypassOptions: "AzureServices",
              dataEndpointEnabled: true,
              policies: { retentionPolicy: { status: "enabled", days: a.untaggedRetentionDays } },
            }
          : {}),
        tags: a.tags,
      },
      { parent: this },
    );
    grantPull(name, registry, a.pullPrincipals, a.subscriptionId);
    if (a.privateEndpoint) {
      createPrivateEndpoint(
        name,
        {
          ...a.privateEndpoint,
          targetId: registry.id,
          groupId: "registry",
          resourceGroupName: a.resourceGroupName,
          location: a.location,
          tags: a.tags,
        },
        registry,
      );
    }
    this.sku = a.sku;
    this.registryId = registry.id;
    this.loginServer = registry.loginServer;
    this.registerOutputs({ loginServer: this.loginServer });
  }
}

/** AcrPull on the registry for each principal (the kubelet identity), by name. */
function grantPull(
  name: string,
  registry: Registry,
  principals: Readonly<Record<string, pulumi.Input<string>>>,
  subscriptionId: pulumi.Input<string>,
): void {
  for (const [who, principalId] of Object.entries(principals)) {
    assignRole(
      childName(name, `${who}-acrpull`),
      {
        role: "acrPull",
        scope: registry.id,
        principalId,
        principalType: "ServicePrincipal",
        subscriptionId: subscriptionId,
        description: `${who} pulls images`,
      },
      registry,
    );
  }
}

/** The options set that only the Premium SKU has. */
function premiumOnlyOptions(a: Pick<ContainerRegistryArgs, "zoneRedundant" | "privateEndpoint" | "allowedIpRanges">): string[] {
  return [
    a.zoneRedundant && "zoneRedundant",
    a.privateEndpoint && "privateEndpoint",
    (a.allowedIpRanges?.length ?? 0) > 0 && "allowedIpRanges",
  ].filter((x): x is string => typeof x === "string");
}
