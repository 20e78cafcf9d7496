import type { Provider } from "@pulumi/kubernetes/provider.js";
import { allServices, type ServiceName } from "@tasks/catalog";
import * as pulumi from "@pulumi/pulumi";
import { chaosSettings } from "../config/chaos.js";
import { ingressRateLimits } from "../config/ingress-rate-limit.js";
import type { PlatformTarget } from "../contracts.js";
import type { DataServices } from "./data.js";
import type { AzureContext, Foundation } from "./foundation.js";
import type { Identities } from "./identity.js";
import type { SignIn } from "./sign-in.js";

/** Step 4 of the Azure stack: what the Kubernetes platform layer gets from the Azure resources. */
export function azurePlatformTarget(
  ctx: AzureContext,
  provider: Provider,
  foundation: Foundation,
  data: DataServices,
  ids: Identities,
  signIn: SignIn,
): PlatformTarget {
  const { cfg } = ctx;
  const identities: Partial<Record<ServiceName, pulumi.Input<string>>> = {};
  for (const s of allServices) {
    const id = ids.workload.clientIds[s.name];
    if (id) identities[s.name] = id;
  }
  const layout = foundation.network.layout;
  const chaos = chaosSettings(cfg.chaos, cfg.location);
  return {
    environment: cfg.environment,
    kind: "aks",
    provider,
    highAvailability: cfg.highAvailability,
    monitoring: { retention: cfg.monitoring.retention, storageSize: cfg.monitoring.storageSize },
    tracingSamplingRate: cfg.dapr.tracingSamplingRate,
    registry: { loginServer: foundation.acr.loginServer },
    // The ingress Service takes the program's static IP (the DNS record aliases it) once the control plane may use it.
    ingressAddress: {
      publicIpName: foundation.ingress.publicIpName,
      resourceGroupName: ctx.resourceGroupName,
      dependsOn: [foundation.ingress.assignment],
    },
    ...(cfg.imageDigests ? { imageDigests: cfg.imageDigests } : {}),
    broker: { kind: "eventhubs", namespaceName: data.eventHubs.namespaceName },
    secretStore: { kind: "keyvault", vaultName: data.vault.vaultName, tenantId: ctx.client.tenantId },
    postgres: { host: data.postgres.fqdn, port: 5432, sslMode: "require" },
    // The Job waits for the server's databases (children of the PostgresServer component).
    databaseRoles: { adminUrl: data.postgres.adminUrl(), passwords: data.rolePasswords, dependsOn: [data.postgres] },
    identities,
    identity: signIn.identity,
    host: cfg.domain,
    ingressRateLimits: ingressRateLimits(cfg.ingressRateLimit),
    // The Event Hubs namespace by name: the pods resolve it to its private endpoint.
    ...(chaos ? { chaos: { ...chaos, brokerTargets: [pulumi.interpolate`${data.eventHubs.namespaceName}.servicebus.windows.net`] } } : {}),
    tls: { issuer: cfg.tlsIssuer, acmeEmail: cfg.acmeEmail },
    egressCidrs: {
      postgres: [layout.postgres],
      broker: [layout.privateEndpoints],
      keyvault: [layout.privateEndpoints],
      smtp: [...cfg.smtp.egressCidrs],
    },
    smtp: { host: cfg.smtp.host, port: cfg.smtp.port, from: cfg.smtp.from },
    alerting: {
      email: cfg.alerting.email,
      smtpUsername: cfg.smtp.username,
      heartbeat: { url: cfg.alerting.heartbeatUrl, authorizationType: cfg.alerting.heartbeatAuthorization },
    },
    platformIdentities: { monitoring: ids.monitoring.clientId, keda: ids.keda.clientId },
    traces: { exporter: "azuremonitor" },
  };
}
