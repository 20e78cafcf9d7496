import type { Sleep } from "@pulumiverse/time/sleep.js";
import { PlatformIdentity, WorkloadIdentities } from "@tasks/infra/azure/identity/index";
import { propagationDelays, propagationWait } from "@tasks/infra/azure/propagation";
import { namespaces, traceCollector } from "@tasks/infra/k8s/index";
import { childName } from "@tasks/infra/naming";
import type { DataServices } from "./data.js";
import type { AzureContext } from "./foundation.js";
import type { Foundation } from "./foundation.js";

export interface Identities {
  /** One user-assigned identity per service, federated to its service account, reading Key Vault secrets. */
  readonly workload: WorkloadIdentities;
  /** Alertmanager and the trace collector reading their Key Vault secrets. */
  readonly monitoring: PlatformIdentity;
  /** KEDA's operator (the AKS add-on, kube-system/keda-operator) reading the broker's listen-only credentials. */
  readonly keda: PlatformIdentity;
  /**
   * Ends once the identities' Key Vault roles and federated credentials have had time to propagate: the
   * workloads wait for it, so that their sidecars' first token exchange and secret read succeed.
   */
  readonly propagation: Sleep;
}

/**
 * Step 3 of the Azure stack: the services', monitoring's and KEDA's workload identities and the wait for their
 * grants. The GitHub deployer and the read-only identity are the bootstrap stack's (stacks/src/bootstrap/environment.ts).
 */
export function createIdentities(ctx: AzureContext, foundation: Foundation, data: DataServices): Identities {
  const readsVault = { ...ctx.scope, oidcIssuerUrl: foundation.aks.oidcIssuerUrl, subscriptionId: ctx.client.subscriptionId };
  const vaultReader = [{ role: "keyVaultSecretsUser" as const, scope: data.vault.vaultId }];
  const workload = new WorkloadIdentities(childName(ctx.prefix, "workload"), { ...readsVault, roles: vaultReader });
  const monitoring = new PlatformIdentity(childName(ctx.prefix, "monitoring"), {
    ...readsVault,
    serviceAccounts: [
      { namespace: namespaces.monitoring, name: "kube-prometheus-stack-alertmanager" },
      { namespace: namespaces.monitoring, name: traceCollector.name },
    ],
    roles: vaultReader,
  });
  const keda = new PlatformIdentity(childName(ctx.prefix, "keda"), {
    ...readsVault,
    serviceAccounts: [{ namespace: "kube-system", name: "keda-operator" }],
    roles: vaultReader,
  });
  const grants = [...workload.grants, ...monitoring.grants, ...keda.grants];
  const propagation = propagationWait(
    childName(ctx.prefix, "workload-propagation"),
    {
      after: grants,
      triggers: Object.fromEntries(grants.map((g, i) => [`grant${i}`, g.id])),
      duration: propagationDelays.workload,
    },
    { parent: workload },
  );
  return { workload, monitoring, keda, propagation };
}
