import { PlatformIdentity, WorkloadIdentities } from "@tasks/infra/azure/identity/index";
import { GitHubDeployer } from "@tasks/infra/azure/entra/index";
import type { BuiltInRole } from "@tasks/infra/azure/roles";
import { namespaces, traceCollector } from "@tasks/infra/k8s/index";
import { childName } from "@tasks/infra/naming";
import type { DataServices } from "./data.js";
import type { AzureContext } from "./foundation.js";
import type { Foundation } from "./foundation.js";

/** Roles the program assigns; the GitHub deployer may assign these and no others. */
const assignedRoles: readonly BuiltInRole[] = [
  "acrPull",
  "aksClusterUser",
  "aksRbacClusterAdmin",
  "keyVaultSecretsUser",
  "networkContributor",
];

export interface Identities {
  /** One user-assigned identity per service, federated to its service account, reading Key Vault secrets. */
  readonly workload: WorkloadIdentities;
  /** The Entra application GitHub's deploy workflows sign in as (OIDC federation). */
  readonly deployer: GitHubDeployer;
  /** Alertmanager and the trace collector reading their Key Vault secrets. */
  readonly monitoring: PlatformIdentity;
  /** KEDA's operator (the AKS add-on, kube-system/keda-operator) reading the broker's listen-only credentials. */
  readonly keda: PlatformIdentity;
}

/** Step 3 of the Azure stack: the services' workload identities and the GitHub deployer. */
export function createIdentities(ctx: AzureContext, foundation: Foundation, data: DataServices): Identities {
  const { cfg, prefix } = ctx;
  const workload = new WorkloadIdentities(childName(prefix, "workload"), {
    ...ctx.scope,
    oidcIssuerUrl: foundation.aks.oidcIssuerUrl,
    subscriptionId: ctx.client.subscriptionId,
    roles: [{ role: "keyVaultSecretsUser", scope: data.vault.vaultId }],
  });
  const deployer = new GitHubDeployer(childName(prefix, "github-deployer"), {
    displayName: `${prefix}-github-deployer`,
    repository: cfg.githubRepository,
    environments: cfg.githubEnvironments ?? [],
    resourceGroupId: ctx.rg.id,
    subscriptionId: ctx.client.subscriptionId,
    assignableRoles: assignedRoles,
  });
  const readsVault = { ...ctx.scope, oidcIssuerUrl: foundation.aks.oidcIssuerUrl, subscriptionId: ctx.client.subscriptionId };
  const vaultReader = [{ role: "keyVaultSecretsUser" as const, scope: data.vault.vaultId }];
  const monitoring = new PlatformIdentity(childName(prefix, "monitoring"), {
    ...readsVault,
    serviceAccounts: [
      { namespace: namespaces.monitoring, name: "kube-prometheus-stack-alertmanager" },
      { namespace: namespaces.monitoring, name: traceCollector.name },
    ],
    roles: vaultReader,
  });
  const keda = new PlatformIdentity(childName(prefix, "keda"), {
    ...readsVault,
    serviceAccounts: [{ namespace: "kube-system", name: "keda-operator" }],
    roles: vaultReader,
  });
  return { workload, deployer, monitoring, keda };
}
