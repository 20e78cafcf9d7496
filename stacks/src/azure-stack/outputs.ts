import * as pulumi from "@pulumi/pulumi";
import { mcpEndpoint } from "@tasks/catalog";
import type { DataServices } from "./data.js";
import type { AzureContext, Foundation } from "./foundation.js";
import type { Identities } from "./identity.js";
import type { SignIn } from "./sign-in.js";

/** Step 5 of the Azure stack: its own outputs (the platform's are spread after them). */
export function azureOutputs(
  ctx: AzureContext,
  foundation: Foundation,
  data: DataServices,
  ids: Identities,
  signIn: SignIn,
  kubeconfig: pulumi.Output<string>,
): Record<string, unknown> {
  const { aks, acr, admins } = foundation;
  const { eventHubs, vault, postgres } = data;
  return {
    resourceGroupName: ctx.resourceGroupName,
    location: ctx.cfg.location,
    clusterName: aks.clusterName,
    oidcIssuerUrl: aks.oidcIssuerUrl,
    acrLoginServer: acr.loginServer,
    eventHubsNamespace: eventHubs.namespaceName,
    kafkaBootstrapServers: eventHubs.kafkaBootstrapServers,
    eventHubs: eventHubs.hubNames,
    keyVaultName: vault.vaultName,
    keyVaultUri: vault.vaultUri,
    keyVaultSecrets: vault.secretNames,
    postgresHost: postgres.fqdn,
    postgresDatabases: postgres.databases,
    workloadIdentityClientIds: ids.workload.clientIds,
    aksAdminsGroupObjectId: admins.objectId,
    ingressAddress: foundation.ingress.ipAddress,
    signIn: {
      provider: ctx.cfg.identity.provider,
      issuer: signIn.identity.issuer,
      audience: signIn.identity.audience,
      jwksUrl: signIn.identity.jwksUrl,
      ...(signIn.registration
        ? { apiClientId: signIn.registration.apiClientId, spaClientId: signIn.registration.spaClientId, scope: signIn.registration.scope }
        : {}),
    },
    // How an MCP client connects (docs/OPERATIONS.md "MCP clients"): the server's URL, the public client id it is
    // configured with, the scope it requests and the audience the server accepts.
    mcp: {
      resourceUrl: `https://${ctx.cfg.domain}${mcpEndpoint}`,
      audience: signIn.identity.mcpServer?.audience ?? `https://${ctx.cfg.domain}${mcpEndpoint}`,
      ...(signIn.mcpRegistration
        ? {
            clientId: signIn.mcpRegistration.clientId,
            scope: signIn.mcpRegistration.scope,
            identifierUri: signIn.mcpRegistration.identifierUri,
            redirectUris: signIn.mcpRegistration.redirectUris,
          }
        : {}),
    },
    tenantId: ctx.client.tenantId,
    subscriptionId: ctx.client.subscriptionId,
    kubeconfig: pulumi.secret(kubeconfig),
  };
}
