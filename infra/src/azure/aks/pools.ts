import type * as pulumi from "@pulumi/pulumi";
import type * as types from "@pulumi/azure-native/types/input.js";

/** Every node pool spans the three availability zones. */
export const allZones: readonly string[] = ["1", "2", "3"];

/** Keeps application pods off the system pool (AKS system node pool guidance). */
export const systemPoolTaint = "CriticalAddonsOnly=true:NoSchedule";

export interface NodePoolSize {
  readonly vmSize: string;
  /** Autoscaler lower bound. */
  readonly minCount: number;
  /** Autoscaler upper bound. */
  readonly maxCount: number;
}

export interface NodePoolSpec extends NodePoolSize {
  /** 1-12 lower-case letters and digits (AKS Linux pool name rule). */
  readonly name: string;
  readonly mode: "System" | "User";
  /** @default allZones */
  readonly zones?: readonly string[];
  /** @default [] for user pools, [systemPoolTaint] for the system pool */
  readonly taints?: readonly string[];
  /** @default 110 */
  readonly maxPods?: number;
}

export interface PoolPlacement {
  readonly vnetSubnetId: pulumi.Input<string>;
  readonly kubernetesVersion: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** Problems with a pool spec, each naming the option; empty when valid. */
export function nodePoolProblems(spec: NodePoolSpec): string[] {
  const problems: string[] = [];
  const where = `node pool "${spec.name}"`;
  if (!/^[a-z][a-z0-9]{0,11}$/.test(spec.name))
    problems.push(`${where}: name must be 1-12 lower-case letters and digits, starting with a letter`);
  const floor = spec.mode === "System" ? 1 : 0;
  if (!Number.isInteger(spec.minCount) || spec.minCount < floor) problems.push(`${where}: minCount must be an integer >= ${floor}`);
  if (!Number.isInteger(spec.maxCount) || spec.maxCount < Math.max(1, spec.minCount))
    problems.push(`${where}: maxCount must be an integer >= minCount and >= 1`);
  const zones = spec.zones ?? allZones;
  if (zones.length === 0 || zones.some((z) => !allZones.includes(z)))
    problems.push(`${where}: zones must be a non-empty subset of 1, 2, 3`);
  return problems;
}

/** The ARM agent pool profile of one pool: zonal, autoscaled, on the node subnet, Azure Linux. */
export function agentPoolProfile(spec: NodePoolSpec, placement: PoolPlacement): types.containerservice.ManagedClusterAgentPoolProfileArgs {
  const defaults = { zones: allZones, taints: spec.mode === "System" ? [systemPoolTaint] : [], maxPods: 110 };
  const s = { ...defaults, ...spec };
  return {
    name: s.name,
    mode: s.mode,
    type: "VirtualMachineScaleSets",
    vmSize: s.vmSize,
    osType: "Linux",
    osSKU: "AzureLinux",
    availabilityZones: [...s.zones],
    enableAutoScaling: true,
    minCount: s.minCount,
    maxCount: s.maxCount,
    count: s.minCount,
    maxPods: s.maxPods,
    nodeTaints: [...s.taints],
    vnetSubnetID: placement.vnetSubnetId,
    orchestratorVersion: placement.kubernetesVersion,
    upgradeSettings: { maxSurge: "33%" },
    tags: { ...placement.tags },
  };
}
