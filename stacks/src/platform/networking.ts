import type { DaprResourceSet } from "@tasks/infra/dapr/index";
import { NetworkPolicies, chartNetworkPolicies, namespaces, workloadNetworkPolicies } from "@tasks/infra/k8s/index";
import { databaseRolesNetworkPolicy } from "@tasks/infra/workload/index";
import type { PlatformTarget } from "../contracts.js";
import { chartNetworkInput, networkInput } from "./network.js";
import type { PlatformContext } from "./types.js";

/**
 * Step 2 of the platform: the network policies of the workload namespace (default deny, then the
 * catalog's paths), of the database-roles Job, and of the chart namespaces.
 */
export function createNetworking(target: PlatformTarget, ctx: PlatformContext, daprSet: DaprResourceSet): NetworkPolicies {
  const network = networkInput(target, ctx.services, daprSet);
  const rolesPolicy =
    target.databaseRoles && network.egress.postgres ? [databaseRolesNetworkPolicy(namespaces.workloads, network.egress.postgres)] : [];
  return new NetworkPolicies(
    "network-policies",
    {
      policies: [
        ...workloadNetworkPolicies(network),
        ...rolesPolicy,
        ...chartNetworkPolicies(chartNetworkInput(target, ctx.services, ctx.options.ingressTcp ?? [])),
      ],
    },
    { ...ctx.k8sOpts, dependsOn: ctx.nsDeps },
  );
}
