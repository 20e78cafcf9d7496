import type * as pulumi from "@pulumi/pulumi";
import { registryLoginServer } from "@tasks/infra/azure/acr/index";
import { loadBootstrapConfig } from "./config/bootstrap.js";
import { createEnvironment, type EnvironmentResources } from "./bootstrap/environment.js";
import { applicationStacks, bootstrapContext, createShared, stateStacks, type Shared } from "./bootstrap/shared.js";

/**
 * The bootstrap stack: what an owner of the subscription (Owner) and the tenant (Privileged Role
 * Administrator, to create Entra applications and groups) runs once, and again only to change identity or
 * governance. Step 1, shared: the state backend (a blob container and a Key Vault secrets-provider key per
 * stack) and the DNS zone. Step 2, per application stack (dev, prod): its resource group, container registry,
 * AKS admins group, Pod Security initiative, GitHub deployer and read-only identity, and the wait for their
 * roles to propagate. The outputs are what the application stacks' config and the repository's variables need
 * (docs/OPERATIONS.md "First deploy").
 */
export async function deployBootstrap(): Promise<Record<string, unknown>> {
  const ctx = bootstrapContext(loadBootstrapConfig());
  const shared = createShared(ctx);
  const environments = applicationStacks.map((s) => createEnvironment(ctx, shared, s));
  return bootstrapOutputs(ctx.cfg.dnsZone, ctx.client, shared, environments);
}

function bootstrapOutputs(
  dnsZone: string,
  client: { tenantId: pulumi.Output<string>; subscriptionId: pulumi.Output<string> },
  shared: Shared,
  environments: readonly EnvironmentResources[],
): Record<string, unknown> {
  const byStack = <T>(f: (e: EnvironmentResources) => T): Record<string, T> => Object.fromEntries(environments.map((e) => [e.stack, f(e)]));
  const upper = (s: string) => s.toUpperCase();
  return {
    /** `tasks-platform:bootstrap` of each application stack (docs/OPERATIONS.md "First deploy", step 2). */
    stackConfig: byStack((e) => ({
      resourceGroupName: e.rg.name,
      registry: { name: e.registryName, sku: e.registry.sku },
      aksAdminsGroup: { objectId: e.admins.objectId, displayName: e.admins.displayName },
      dnsZone: { name: dnsZone, resourceGroupName: shared.rg.name },
    })),
    /** Repository variables of the workflows (Settings > Secrets and variables > Actions > Variables). */
    githubVariables: {
      AZURE_TENANT_ID: client.tenantId,
      AZURE_SUBSCRIPTION_ID: client.subscriptionId,
      ...Object.fromEntries(
        environments.flatMap((e) => [
          [`AZURE_CLIENT_ID_${upper(e.stack)}`, e.deployer.clientId],
          [`AZURE_CLIENT_ID_${upper(e.stack)}_READER`, e.reader.clientId],
          [`PULUMI_BACKEND_URL_${upper(e.stack)}`, shared.state.backendUrls[e.stack]],
          [`PULUMI_SECRETS_PROVIDER_${upper(e.stack)}`, shared.state.secretsProviders[e.stack]],
        ]),
      ),
    },
    stateBackends: Object.fromEntries(
      stateStacks.map((s) => [s, { url: shared.state.backendUrls[s], secretsProvider: shared.state.secretsProviders[s] }]),
    ),
    registries: byStack((e) => e.registryName.apply(registryLoginServer)),
    /** Delegate the zone to these at its registrar (NS records in the parent zone). */
    dnsNameServers: shared.dnsZone.nameServers,
  };
}
