import { AzureAlerts } from "@tasks/infra/azure/monitoring/index";
import { childName } from "@tasks/infra/naming";
import type { DataServices } from "./data.js";
import type { AzureContext, Foundation } from "./foundation.js";

/**
 * Step 4 of the Azure stack: Azure Monitor alerts on what the in-cluster Prometheus cannot see (Event Hubs,
 * Postgres, Key Vault, AKS nodes), to the people Alertmanager tells: the same email addresses and chat webhook.
 */
export function createAzureAlerts(ctx: AzureContext, foundation: Foundation, data: DataServices): AzureAlerts {
  return new AzureAlerts(childName(ctx.prefix, "alerts"), {
    resourceGroupName: ctx.resourceGroupName,
    tags: ctx.scope.tags,
    email: ctx.cfg.alerting.email,
    webhookUrl: ctx.cfg.alertChatWebhookUrl,
    targets: {
      eventHubs: data.eventHubs.namespaceId,
      postgres: data.postgres.serverId,
      keyVault: data.vault.vaultId,
      aks: foundation.aks.clusterId,
    },
  });
}
