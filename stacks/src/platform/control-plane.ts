import { DaprResources } from "@tasks/infra/dapr/index";
import {
  CertManager,
  DaprControlPlane,
  IngressController,
  Keda,
  Monitoring,
  PlatformCrds,
  namespaces,
  zoneRedundantDiskClass,
} from "@tasks/infra/k8s/index";
import type { PlatformTarget } from "../contracts.js";
import { daprSettings } from "./dapr.js";
import { brokerBootstrap } from "./network.js";
import type { PlatformContext } from "./types.js";

export interface ControlPlane {
  readonly crds: PlatformCrds;
  readonly monitoring: Monitoring;
  readonly certManager: CertManager;
  readonly ingressController: IngressController;
  readonly daprControlPlane: DaprControlPlane;
  readonly daprResources: DaprResources;
  /** KEDA from its chart where the cluster has no add-on (minikube). */
  readonly keda?: Keda;
}

/**
 * Step 1 of the platform: the CRD step (the Gateway API's, the Prometheus operator's and Dapr's CRDs at the
 * versions the charts pin, upgraded with them), then the charts every workload relies on (kube-prometheus-stack,
 * cert-manager and its issuers, the ingress controller with the public Gateway, the Dapr control plane) and
 * the catalog's Dapr resources.
 */
export function createControlPlane(target: PlatformTarget, ctx: PlatformContext): ControlPlane {
  const { k8sOpts, nsDeps } = ctx;
  const aks = target.kind === "aks";
  const ha = target.highAvailability;
  // The local stack's Kafka passthrough is a TCPRoute, which Traefik reads from the experimental channel only.
  const tcp = ctx.options.ingressTcp ?? [];
  const crds = new PlatformCrds("platform-crds", { gatewayChannel: tcp.length ? "experimental" : "standard" }, k8sOpts);
  const monitoring = new Monitoring(
    "monitoring",
    {
      workloadNamespace: namespaces.workloads,
      services: ctx.services,
      highAvailability: ha,
      retention: target.monitoring.retention,
      ...(aks && target.monitoring.storageSize
        ? { storage: { size: target.monitoring.storageSize, storageClassName: "managed-csi-premium" } }
        : {}),
      alerting: {
        email: target.alerting!.email,
        from: target.smtp.from,
        smtp: {
          host: target.smtp.host,
          port: target.smtp.port,
          ...(target.alerting!.smtpUsername ? { username: target.alerting!.smtpUsername } : {}),
        },
        ...(target.alerting!.heartbeat ? { heartbeat: target.alerting!.heartbeat } : {}),
      },
      broker: { bootstrapServers: brokerBootstrap(target) },
      traces: target.traces?.exporter ?? "debug",
      ...(target.secretStore.kind === "keyvault" && target.platformIdentities
        ? {
            keyVault: {
              vaultName: target.secretStore.vaultName,
              tenantId: target.secretStore.tenantId,
              clientId: target.platformIdentities.monitoring,
            },
          }
        : {}),
      dependsOn: [...nsDeps, ...crds.resources],
    },
    k8sOpts,
  );
  const keda = aks ? undefined : new Keda("keda", { dependsOn: nsDeps }, k8sOpts);
  const certManager = new CertManager(
    "cert-manager",
    {
      issuers: aks ? "acme" : "selfsigned",
      ...(target.tls.acmeEmail ? { acmeEmail: target.tls.acmeEmail } : {}),
      highAvailability: ha,
      dependsOn: [...nsDeps, ...crds.resources, monitoring.release],
    },
    k8sOpts,
  );
  const ingressController = new IngressController(
    "ingress",
    {
      serviceType: aks ? "LoadBalancer" : "NodePort",
      host: target.host,
      issuer: target.tls.issuer,
      highAvailability: ha,
      ...(target.ingressAddress
        ? { publicIp: { name: target.ingressAddress.publicIpName, resourceGroupName: target.ingressAddress.resourceGroupName } }
        : {}),
      tcp,
      // An in-cluster OpenID Provider (local) is served on the public host too: its route lives in its namespace.
      extraRoutesNamespaces: target.identity?.inClusterProvider ? [target.identity.inClusterProvider.namespace] : [],
      middlewareNamespaces: [
        namespaces.workloads,
        ...(target.identity?.inClusterProvider ? [target.identity.inClusterProvider.namespace] : []),
      ],
      dependsOn: [...nsDeps, ...crds.resources, monitoring.release, ...(target.ingressAddress?.dependsOn ?? [])],
      gatewayDependsOn: certManager.issuers,
    },
    k8sOpts,
  );
  const daprControlPlane = new DaprControlPlane(
    "dapr",
    {
      highAvailability: ha,
      // On AKS the scheduler's replicas sit in three zones on zone-redundant disks (one per zone is required in HA stacks).
      ...(aks
        ? { schedulerStorageClass: zoneRedundantDiskClass, schedulerZoneSpread: ha ? ("required" as const) : ("preferred" as const) }
        : {}),
      dependsOn: [...nsDeps, ...crds.resources],
    },
    k8sOpts,
  );
  const daprResources = new DaprResources(
    "dapr-resources",
    { settings: daprSettings(target, ctx.services) },
    { ...k8sOpts, dependsOn: [daprControlPlane.release] },
  );
  return { crds, monitoring, certManager, ingressController, daprControlPlane, daprResources, ...(keda ? { keda } : {}) };
}
