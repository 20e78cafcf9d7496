import { ChaosMesh, namespaces, type NetworkPolicies } from "@tasks/infra/k8s/index";
import type { PlatformTarget } from "../contracts.js";
import type { PlatformContext } from "./types.js";
import type { Workloads } from "./workloads.js";

/**
 * Step 4 of the platform, opt-in (tasks-platform:chaos, dev only): Chaos Mesh and its experiments against the
 * workload namespace: a pod of each event consumer killed, the apps' traffic to the broker delayed then cut off,
 * a zone's workload pods killed (docs/OPERATIONS.md "Game day").
 */
export function createGameDay(
  target: PlatformTarget,
  ctx: PlatformContext,
  policies: NetworkPolicies,
  workloads: Workloads,
): ChaosMesh | undefined {
  if (!target.chaos) return undefined;
  return new ChaosMesh(
    "chaos-mesh",
    {
      experiments: {
        namespace: namespaces.workloads,
        consumers: ctx.services.filter((s) => s.subscribes.length > 0).map((s) => s.name),
        brokerTargets: target.chaos.brokerTargets,
        zone: target.chaos.zone,
        window: target.chaos.window,
        paused: target.chaos.paused,
      },
      dependsOn: [...ctx.nsDeps, policies, ...Object.values(workloads.workloads)],
    },
    ctx.k8sOpts,
  );
}
