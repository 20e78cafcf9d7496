import { aksKubernetesProvider } from "@tasks/infra/azure/kubeconfig/index";
import { childName } from "@tasks/infra/naming";
import { loadAzureConfig } from "./config/azure.js";
import { createAzureAlerts } from "./azure-stack/alerts.js";
import { createDataServices } from "./azure-stack/data.js";
import { azureContext, createFoundation } from "./azure-stack/foundation.js";
import { createIdentities } from "./azure-stack/identity.js";
import { azureOutputs } from "./azure-stack/outputs.js";
import { createSignIn } from "./azure-stack/sign-in.js";
import { azurePlatformTarget } from "./azure-stack/target.js";
import { createPlatform } from "./platform.js";

/**
 * The dev and prod stacks, in steps (files under ./azure-stack/): the foundation (network, Log Analytics,
 * AKS, pull access to the registry, the ingress's static IP and DNS record), the data services (Event Hubs,
 * Postgres, Key Vault and its secrets, Application Insights), the identities (the services', monitoring's and
 * KEDA's workload identities) and the wait for their grants, the Azure Monitor alerts, end-user sign-in (the
 * Entra ID registrations, or the stack's own OpenID provider), then the Kubernetes platform layer on the
 * cluster and the outputs. The resource group, registry, AKS admins group, DNS zone, deployer identities (and
 * their Microsoft Graph right to own the sign-in registrations) and Pod Security initiative are the bootstrap
 * stack's (./bootstrap.ts). dev and prod differ only by their config.
 */
export async function deployAzureStack(stack: "dev" | "prod"): Promise<Record<string, unknown>> {
  const ctx = azureContext(stack, loadAzureConfig(stack));
  const foundation = createFoundation(ctx);
  const data = createDataServices(ctx, foundation);
  const identities = createIdentities(ctx, foundation, data);
  createAzureAlerts(ctx, foundation, data);
  const signIn = createSignIn(ctx);
  const { provider, kubeconfig } = aksKubernetesProvider(childName(ctx.prefix, "k8s"), {
    resourceGroupName: ctx.resourceGroupName,
    clusterName: foundation.aks.clusterName,
    loginMode: ctx.cfg.aks.kubeloginMode,
  });
  // The workloads wait until their identities' Key Vault roles and federated credentials have propagated.
  const platform = createPlatform(azurePlatformTarget(ctx, provider, foundation, data, identities, signIn), {
    workloadDependsOn: [identities.propagation],
  });
  return { ...azureOutputs(ctx, foundation, data, identities, signIn, kubeconfig), ...platform.outputs };
}
