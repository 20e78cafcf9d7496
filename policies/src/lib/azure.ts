import type { Unwrap } from "@pulumi/pulumi";
import type { ManagedClusterArgs, AgentPoolArgs } from "@pulumi/azure-native/containerservice/index.js";
import type { ResourceValidationArgs } from "@pulumi/policy";

export const azureTypes = {
  managedCluster: "azure-native:containerservice:ManagedCluster",
  agentPool: "azure-native:containerservice:AgentPool",
  vault: "azure-native:keyvault:Vault",
  postgresServer: "azure-native:dbforpostgresql:Server",
  postgresConfiguration: "azure-native:dbforpostgresql:Configuration",
  eventHubNamespace: "azure-native:eventhub:Namespace",
  eventHub: "azure-native:eventhub:EventHub",
  registry: "azure-native:containerregistry:Registry",
  roleAssignment: "azure-native:authorization:RoleAssignment",
  userAssignedIdentity: "azure-native:managedidentity:UserAssignedIdentity",
} as const;

/** `args.props` typed as the unwrapped inputs of an azure-native resource, if `args.type` is `type`. */
export function propsOf<T>(args: Pick<ResourceValidationArgs, "type" | "props">, type: string): Unwrap<T> | undefined {
  return args.type === type ? (args.props as Unwrap<T>) : undefined;
}

export type ManagedClusterProps = Unwrap<ManagedClusterArgs>;
export type AgentPoolProps = Unwrap<AgentPoolArgs>;

/** A node pool, declared inline in the cluster's agentPoolProfiles or as an AgentPool resource. */
export interface NodePool {
  readonly name: string;
  readonly mode: string | undefined;
  readonly availabilityZones: readonly string[] | undefined;
  readonly nodeTaints: readonly string[] | undefined;
}

/** The node pools a ManagedCluster or AgentPool resource declares. */
export function nodePoolsOf(args: Pick<ResourceValidationArgs, "type" | "props" | "name">): NodePool[] | undefined {
  const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
  if (cluster) {
    return (cluster.agentPoolProfiles ?? []).map((p) => ({
      name: String(p.name),
      mode: p.mode,
      availabilityZones: p.availabilityZones,
      nodeTaints: p.nodeTaints,
    }));
  }
  const pool = propsOf<AgentPoolArgs>(args, azureTypes.agentPool);
  if (pool)
    return [
      { name: pool.agentPoolName ?? args.name, mode: pool.mode, availabilityZones: pool.availabilityZones, nodeTaints: pool.nodeTaints },
    ];
  return undefined;
}

/** Azure enum values are case-insensitive in ARM: compare them so. */
export const sameText = (a: unknown, b: string): boolean => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** The addon profile of a cluster under any of its accepted key spellings (ARM keys are case-insensitive). */
export function addonProfile(
  cluster: ManagedClusterProps,
  name: string,
): { enabled?: boolean; config?: Record<string, string> } | undefined {
  const profiles = cluster.addonProfiles ?? {};
  const key = Object.keys(profiles).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : profiles[key];
}
