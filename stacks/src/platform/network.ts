import type { ServiceSpec } from "@tasks/catalog";
import type * as pulumi from "@pulumi/pulumi";
import { daprResources, eventHubsBrokers, type DaprResourceSet } from "@tasks/infra/dapr/index";
import { daprComponents, runsDaprSidecar } from "@tasks/catalog";
import {
  namespaces,
  nonPublicRanges,
  traceCollector,
  traceCollectorPodLabels,
  webPushDestination,
  type ChartNetworkInput,
  type EgressDestination,
  type WorkloadNetworkInput,
} from "@tasks/infra/k8s/index";
import type { InClusterPeer, PlatformTarget } from "../contracts.js";
import { daprSettings } from "./dapr.js";
import type { PlatformOptions } from "./types.js";

/** Ports of the brokers' Kafka endpoints: Event Hubs (SASL over TLS) and Redpanda (plaintext, in-cluster). */
export const brokerPorts = { eventhubs: 9093, redpanda: 9092 } as const;

/** The broker's Kafka bootstrap servers, for the clients the platform runs besides Dapr (KEDA, the lag exporter). */
export const brokerBootstrap = (target: PlatformTarget): pulumi.Input<string> =>
  target.broker.kind === "eventhubs" ? eventHubsBrokers(target.broker.namespaceName) : target.broker.brokers;

const cidrDestination = (cidrs: readonly string[], port: number): EgressDestination => ({ port, cidrs });
const peerDestination = (p: InClusterPeer): EgressDestination => ({
  port: p.port,
  peers: [{ namespace: p.namespace, podLabels: p.podLabels }],
});

/** Where each catalog egress target is, on this target. */
function egressDestinations(target: PlatformTarget): WorkloadNetworkInput["egress"] {
  const brokerPort = target.broker.kind === "eventhubs" ? brokerPorts.eventhubs : brokerPorts.redpanda;
  return {
    postgres: target.inClusterEgress?.postgres
      ? peerDestination(target.inClusterEgress.postgres)
      : cidrDestination(target.egressCidrs.postgres, target.postgres.port),
    broker: target.inClusterEgress?.broker
      ? peerDestination(target.inClusterEgress.broker)
      : cidrDestination(target.egressCidrs.broker, brokerPort),
    smtp: cidrDestination(target.egressCidrs.smtp, target.smtp.port),
    webpush: webPushDestination,
    // minikube has no Key Vault: the catalog's keyvault egress stays closed there.
    ...(target.kind === "aks" ? { keyvault: cidrDestination(target.egressCidrs.keyvault, 443) } : {}),
  };
}

/** Every sidecar exports its spans to the trace collector in the monitoring namespace (a pod without one has none to send). */
const traceEgress = (services: readonly ServiceSpec[]): NonNullable<WorkloadNetworkInput["additionalEgress"]>[number] => ({
  apps: services.filter(runsDaprSidecar).map((s) => s.name),
  destination: { port: traceCollector.grpcPort, peers: [{ namespace: namespaces.monitoring, podLabels: traceCollectorPodLabels }] },
});

/**
 * Egress beyond the catalog's: on AKS, every sidecar that loads the Key Vault secret store reaches the
 * vault (also those whose own app reads no secret: recurrence's pubsub resolves the Event Hubs connection
 * string there) and Entra ID; on minikube, the secret readers reach the API server.
 */
function additionalEgress(
  target: PlatformTarget,
  services: readonly ServiceSpec[],
  set: DaprResourceSet,
): WorkloadNetworkInput["additionalEgress"] {
  const jwks = jwksEgress(target, services);
  if (target.kind !== "aks") {
    const secretsReaders = services.filter((s) => s.dapr.includes("secrets")).map((s) => s.name);
    return [
      traceEgress(services),
      ...(target.apiServerEgress
        ? [{ apps: secretsReaders, destination: cidrDestination(target.apiServerEgress.cidrs, target.apiServerEgress.port) }]
        : []),
      ...jwks,
    ];
  }
  const storeUsers = set.components.find((c) => c.metadata.name === daprComponents.secretStore)?.scopes ?? [];
  const catalogUsers: string[] = services.filter((s) => s.egress.includes("keyvault")).map((s) => s.name);
  const keyVaultUsers = [...new Set([...catalogUsers, ...storeUsers])];
  return [
    traceEgress(services),
    { apps: storeUsers.filter((a) => !catalogUsers.includes(a)), destination: cidrDestination(target.egressCidrs.keyvault, 443) },
    {
      apps: keyVaultUsers,
      destination: {
        port: 443,
        cidrs: target.identityEgressCidrs ?? ["0.0.0.0/0"],
        ...(target.identityEgressCidrs ? {} : { except: nonPublicRanges }),
      },
    },
    // The same public addresses on 443 carry the JWKS: only public services not already allowed need a rule.
    ...jwks.map((j) => ({ ...j, apps: j.apps.filter((a) => !keyVaultUsers.includes(a)) })).filter((j) => j.apps.length > 0),
  ];
}

/**
 * The public services fetch the identity provider's signing keys: from the in-cluster provider's pods
 * (local), else from public addresses on 443 (Entra ID's login.microsoftonline.com, or your own provider).
 */
function jwksEgress(target: PlatformTarget, services: readonly ServiceSpec[]): NonNullable<WorkloadNetworkInput["additionalEgress"]> {
  const apps = services.filter((s) => s.publicRoutes.length > 0).map((s) => s.name);
  if (!target.identity || apps.length === 0) return [];
  const provider = target.identity.inClusterProvider;
  if (provider) return [{ apps, destination: peerDestination(provider) }];
  const cidrs = target.identityEgressCidrs ?? ["0.0.0.0/0"];
  return [{ apps, destination: { port: 443, cidrs, ...(target.identityEgressCidrs ? {} : { except: nonPublicRanges }) } }];
}

/**
 * Egress destinations of the workload namespace, from the target. `set` is the target's Dapr resource
 * set (who loads the secret store); createPlatform passes the one it deploys.
 */
export function networkInput(
  target: PlatformTarget,
  services: readonly ServiceSpec[],
  set: DaprResourceSet = daprResources(daprSettings(target, services)),
): WorkloadNetworkInput {
  return {
    namespace: namespaces.workloads,
    services,
    egress: egressDestinations(target),
    additionalEgress: additionalEgress(target, services, set),
  };
}

/**
 * Where the Kubernetes API is from a pod: minikube names it; on AKS its address depends on the
 * cluster (public, private or VNet-integrated endpoint), so any address on 443.
 */
export const apiServerOf = (target: PlatformTarget): { cidrs: string[]; port: number } =>
  target.apiServerEgress ?? { cidrs: ["0.0.0.0/0"], port: 443 };

/** What the chart namespaces' policies need from the target. */
export function chartNetworkInput(
  target: PlatformTarget,
  services: readonly ServiceSpec[],
  tcp: NonNullable<PlatformOptions["ingressTcp"]>,
): ChartNetworkInput {
  return {
    apiServer: apiServerOf(target),
    publicAppPorts: services.filter((s) => s.publicRoutes.length > 0).map((s) => s.port),
    ingressTcp: tcp.map((t) => ({ port: t.port, namespace: t.pods.namespace, podLabels: t.pods.podLabels })),
    ...(target.identity?.inClusterProvider ? { httpBackends: [target.identity.inClusterProvider] } : {}),
    acme: target.kind === "aks",
    monitoring: { smtp: egressDestinations(target).smtp!, broker: egressDestinations(target).broker!, internet: target.kind === "aks" },
    ...(target.kind === "aks" ? {} : { keda: { broker: egressDestinations(target).broker! } }),
    ...(target.chaos ? { chaosMesh: true } : {}),
  };
}
