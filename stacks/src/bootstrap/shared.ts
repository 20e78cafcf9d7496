import type * as pulumi from "@pulumi/pulumi";
import { getClientConfigOutput } from "@pulumi/azure-native/authorization/getClientConfig.js";
import { Zone } from "@pulumi/azure-native/dns/zone.js";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup.js";
import { RandomString } from "@pulumi/random/randomString.js";
import { StateBackend } from "@tasks/infra/azure/state/index";
import { azureName, childName } from "@tasks/infra/naming";
import { standardTags } from "../config/common.js";
import type { BootstrapConfig } from "../config/bootstrap.js";

/** The stacks whose state the backend holds: this one and the two application stacks. */
export const stateStacks = ["bootstrap", "dev", "prod"] as const;
export type ApplicationStack = "dev" | "prod";
export const applicationStacks: readonly ApplicationStack[] = ["dev", "prod"];

export interface BootstrapContext {
  readonly cfg: BootstrapConfig;
  readonly prefix: "tasks-bootstrap";
  readonly tags: Record<string, string>;
  readonly client: ReturnType<typeof getClientConfigOutput>;
  /** A globally unique Azure name: the base plus the bootstrap's random suffix. */
  readonly unique: (kind: Parameters<typeof azureName>[0], base: string) => pulumi.Output<string>;
}

export interface Shared {
  readonly rg: ResourceGroup;
  readonly state: StateBackend;
  readonly dnsZone: Zone;
}

export function bootstrapContext(cfg: BootstrapConfig): BootstrapContext {
  const prefix = "tasks-bootstrap";
  const suffix = new RandomString(childName(prefix, "name-suffix"), { length: 6, upper: false, special: false, numeric: true, lower: true })
    .result;
  return {
    cfg,
    prefix,
    tags: standardTags("bootstrap", cfg),
    client: getClientConfigOutput(),
    unique: (kind, base) => suffix.apply((s) => azureName(kind, base, s)),
  };
}

/**
 * Step 1 of the bootstrap: its own resource group with the state backend (a container and a secrets-provider
 * key per stack) and the public DNS zone the stacks' hosts are in.
 */
export function createShared(ctx: BootstrapContext): Shared {
  const { cfg, prefix, tags } = ctx;
  const rg = new ResourceGroup(prefix, { resourceGroupName: azureName("resourceGroup", `rg-${prefix}`), location: cfg.location, tags });
  const scope = { resourceGroupName: rg.name, location: cfg.location, tags };
  const state = new StateBackend(childName(prefix, "state"), {
    ...scope,
    accountName: ctx.unique("storageAccount", "tasksstate"),
    vaultName: ctx.unique("keyVault", "tasks-state"),
    tenantId: ctx.client.tenantId,
    stacks: stateStacks,
    allowedIpRanges: cfg.allowedIpRanges,
  });
  const dnsZone = new Zone(childName(prefix, "dns"), {
    resourceGroupName: rg.name,
    location: "global",
    zoneName: cfg.dnsZone,
    zoneType: "Public",
    tags,
  });
  return { rg, state, dnsZone };
}
