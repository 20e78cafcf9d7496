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
import { deployPlatform } from "./platform.js";

/**
 * The dev and prod stacks, in steps (files under ./azure-stack/): the foundation (resource group,
 * network, Log Analytics, AKS admins, AKS, ACR), the data services (Event Hubs, Postgres, Key Vault and
 * its secrets, Application Insights), the identities (workload identities, GitHub deployer, the monitoring and
 * KEDA identities), end-user sign-in (Entra ID registrations or the stack's own OpenID provider), the Azure
 * Monitor alerts, then the Kubernetes platform
 * layer on the cluster and the outputs. dev and prod differ only by their config.
 */
export async function deployAzureStack(stack: "dev" | "prod"): Promise<Record<string, unknown>> {
  const ctx = azureContext(stack, loadAzureConfig(stack));
  const foundation = createFoundation(ctx);
  const data = createDataServices(ctx, foundation);
  const identities = createIdentities(ctx, foundation, data);
  createAzureAlerts(ctx, foundation, data);
  const signIn = createSignIn(ctx);
  const { provider, kubeconfig } = aksKubernetesProvider(childName(ctx.prefix, "k8s"), {
    resourceGroupName: ctx.rg.name,
    clusterName: foundation.aks.clusterName,
    loginMode: ctx.cfg.aks.kubeloginMode,
  });
  const platform = deployPlatform(azurePlatformTarget(ctx, provider, foundation, data, identities, signIn));
  return { ...azureOutputs(ctx, foundation, data, identities, signIn, kubeconfig), ...platform };
}
