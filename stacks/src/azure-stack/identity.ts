import type { Sleep } from "@pulumiverse/time/sleep.js";
import { WorkloadIdentities } from "@tasks/infra/azure/identity/index";
import { propagationDelays, propagationWait } from "@tasks/infra/azure/propagation";
import { childName } from "@tasks/infra/naming";
import type { DataServices } from "./data.js";
import type { AzureContext } from "./foundation.js";
import type { Foundation } from "./foundation.js";

export interface Identities {
  /** One user-assigned identity per service, federated to its service account, reading Key Vault secrets. */
  readonly workload: WorkloadIdentities;
  /**
   * Ends once the identities' Key Vault roles and federated credentials have had time to propagate: the
   * workloads wait for it, so that their sidecars' first token exchange and secret read succeed.
   */
  readonly propagation: Sleep;
}

/**
 * Step 3 of the Azure stack: the services' workload identities and the wait for their grants. The GitHub
 * deployer and the read-only identity are the bootstrap stack's (stacks/src/bootstrap/environment.ts).
 */
export function createIdentities(ctx: AzureContext, foundation: Foundation, data: DataServices): Identities {
  const workload = new WorkloadIdentities(childName(ctx.prefix, "workload"), {
    ...ctx.scope,
    oidcIssuerUrl: foundation.aks.oidcIssuerUrl,
    subscriptionId: ctx.client.subscriptionId,
    roles: [{ role: "keyVaultSecretsUser", scope: data.vault.vaultId }],
  });
  const propagation = propagationWait(
    childName(ctx.prefix, "workload-propagation"),
    {
      after: workload.grants,
      triggers: Object.fromEntries(workload.grants.map((g, i) => [`grant${i}`, g.id])),
      duration: propagationDelays.workload,
    },
    { parent: workload },
  );
  return { workload, propagation };
}
