import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";
import {
  gatewayClassManifest,
  gatewayManifest,
  httpsRedirectRouteManifest,
  publicCertificateManifest,
  tcpRouteManifests,
  type TcpListener,
} from "./gateway-manifests.js";
import { helmRelease } from "./helm.js";
import { chartPodLabels, gatewayListeners, namespaces } from "./names.js";

export type { TcpListener } from "./gateway-manifests.js";

/** Seconds a request (a WebSocket included: its connection is the request) may take through the controller. */
export const websocketTimeoutSeconds = 3600;

export interface IngressControllerArgs {
  /** LoadBalancer on AKS (Azure Load Balancer), NodePort on minikube. */
  readonly serviceType: "LoadBalancer" | "NodePort";
  /** The public host: the Gateway's listeners and certificate. */
  readonly host: string;
  /** ClusterIssuer that signs the public certificate. */
  readonly issuer: string;
  /** Three replicas with a PDB and zone spread. @default false */
  readonly highAvailability?: boolean;
  /** A static public IP the LoadBalancer Service takes (AKS: the program's, which the DNS record aliases). */
  readonly publicIp?: { readonly name: pulumi.Input<string>; readonly resourceGroupName: string };
  readonly tcp?: readonly TcpListener[];
  /** Namespaces besides the workloads' whose HTTPRoutes the HTTPS listener admits (local: the OpenID Provider's). */
  readonly extraRoutesNamespaces?: readonly string[];
  /**
   * Namespaces whose Traefik Middlewares the kubernetesCRD provider reads: those of the HTTPRoutes, whose
   * ExtensionRef filters name them (the workloads' and `extraRoutesNamespaces`). Never empty: Traefik would read
   * every namespace. @default [the workload namespace]
   */
  readonly middlewareNamespaces?: readonly string[];
  /** What the release waits for: the Gateway API CRDs, the monitoring CRDs its ServiceMonitor needs. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  /** What the Gateway and certificate wait for besides the release: the ClusterIssuers. */
  readonly gatewayDependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Traefik's entrypoint for a port: the Service maps `exposedPort` to it, `expose` puts it on the Service. */
const entrypoint = (port: number, exposedPort: number, nodePort?: number): Record<string, unknown> => ({
  port,
  expose: { default: true },
  exposedPort,
  protocol: "TCP",
  ...(nodePort !== undefined ? { nodePort } : {}),
});

/**
 * Helm values of Traefik as a Gateway API implementation (no Ingress provider, no dashboard), the Gateway
 * objects being the program's. The kubernetesCRD provider runs only to serve the rate-limit Middlewares the
 * HTTPRoutes name in ExtensionRef filters (Traefik resolves those through it), restricted to the routes'
 * namespaces, no cross-namespace references; its CRDs come from the CRD step (crds.ts), not the chart: its pods run restricted (non-root 65532, read-only root, no
 * capabilities, unprivileged ports 8000/8443), the Service keeps client addresses (externalTrafficPolicy
 * Local), JSON logs, Prometheus metrics with a ServiceMonitor.
 */
export function ingressControllerValues(args: IngressControllerArgs): Record<string, unknown> {
  const ha = args.highAvailability ?? false;
  const tcp = args.tcp ?? [];
  return {
    deployment: { replicas: ha ? 3 : 1 },
    podDisruptionBudget: ha ? { enabled: true, minAvailable: 2 } : { enabled: false },
    ingressClass: { enabled: false },
    gateway: { enabled: false },
    gatewayClass: { enabled: false },
    providers: {
      kubernetesCRD: {
        enabled: true,
        namespaces: args.middlewareNamespaces?.length ? [...args.middlewareNamespaces] : [namespaces.workloads],
        allowCrossNamespace: false,
        allowExternalNameServices: false,
        allowEmptyServices: false,
      },
      kubernetesIngress: { enabled: false },
      // TCPRoute is in the Gateway API's experimental channel for Traefik (local Kafka passthrough only).
      kubernetesGateway: { enabled: true, experimentalChannel: tcp.length > 0 },
    },
    api: { dashboard: false },
    ingressRoute: { dashboard: { enabled: false }, healthcheck: { enabled: false } },
    log: { format: "json" },
    ports: {
      web: entrypoint(gatewayListeners.http.port, gatewayListeners.http.servicePort),
      websecure: {
        ...entrypoint(gatewayListeners.https.port, gatewayListeners.https.servicePort),
        // A WebSocket is one long request: Traefik's 60 s default read timeout would cut it.
        transport: { respondingTimeouts: { readTimeout: `${websocketTimeoutSeconds}s` } },
      },
      ...Object.fromEntries(tcp.map((t) => [t.name, entrypoint(t.port, t.port, t.nodePort)])),
    },
    service: {
      spec: { type: args.serviceType, externalTrafficPolicy: "Local" },
      ...(args.publicIp
        ? {
            annotations: {
              "service.beta.kubernetes.io/azure-pip-name": args.publicIp.name,
              "service.beta.kubernetes.io/azure-load-balancer-resource-group": args.publicIp.resourceGroupName,
            },
          }
        : {}),
    },
    metrics: { prometheus: { service: { enabled: true }, serviceMonitor: { enabled: true } } },
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
    topologySpreadConstraints: ha
      ? [
          {
            maxSkew: 1,
            topologyKey: "topology.kubernetes.io/zone",
            whenUnsatisfiable: "DoNotSchedule",
            labelSelector: { matchLabels: { ...chartPodLabels.ingressController } },
          },
        ]
      : [],
  };
}

/**
 * The ingress controller (Traefik, a maintained Gateway API implementation; ingress-nginx is retired) and the
 * public Gateway it serves: the GatewayClass, the Gateway with its HTTP (redirect, ACME) and HTTPS listeners,
 * the certificate of the host, the HTTP-to-HTTPS redirect, and a TCP listener and route per passthrough. The
 * services' HTTPRoutes are the workloads' (GatewayRoutes).
 */
export class IngressController extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  readonly gateway: k8s.apiextensions.CustomResource;
  readonly certificate: k8s.apiextensions.CustomResource;

  constructor(name: string, args: IngressControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:IngressController", name, {}, opts);
    for (const t of args.tcp ?? []) {
      if (!/^[a-z][a-z0-9-]{0,14}$/.test(t.name))
        throw new pulumi.ResourceError(`tcp: name "${t.name}" must be 1-15 lower-case letters, digits and hyphens`, this);
      if (t.nodePort !== undefined && args.serviceType !== "NodePort")
        throw new pulumi.ResourceError("tcp: nodePort only applies to a NodePort controller Service", this);
    }
    if (args.publicIp && args.serviceType !== "LoadBalancer")
      throw new pulumi.ResourceError("publicIp: only a LoadBalancer Service takes one", this);
    this.release = helmRelease(
      `${name}-release`,
      { chart: charts.traefik, releaseName: "traefik", namespace: namespaces.ingress, values: ingressControllerValues(args) },
      { parent: this, dependsOn: args.dependsOn },
    );
    const crdsFirst = { parent: this, dependsOn: args.dependsOn };
    const gatewayClass = new k8s.apiextensions.CustomResource(`${name}-gateway-class`, gatewayClassManifest(), crdsFirst);
    const after = [this.release, gatewayClass, ...(args.gatewayDependsOn ?? [])];
    this.certificate = new k8s.apiextensions.CustomResource(`${name}-certificate`, publicCertificateManifest(args.host, args.issuer), {
      parent: this,
      dependsOn: after,
    });
    this.gateway = new k8s.apiextensions.CustomResource(
      `${name}-gateway`,
      gatewayManifest({
        host: args.host,
        routesNamespace: namespaces.workloads,
        extraRoutesNamespaces: args.extraRoutesNamespaces ?? [],
        tcp: args.tcp ?? [],
      }),
      { parent: this, dependsOn: [...after, this.certificate] },
    );
    new k8s.apiextensions.CustomResource(`${name}-https-redirect`, httpsRedirectRouteManifest(args.host), {
      parent: this,
      dependsOn: [this.gateway],
    });
    for (const m of tcpRouteManifests(args.tcp ?? []))
      new k8s.apiextensions.CustomResource(`${name}-tcp-${(m.metadata as { name: string }).name}`, m as never, {
        parent: this,
        dependsOn: [this.gateway],
      });
    this.registerOutputs({});
  }
}
