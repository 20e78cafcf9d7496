import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";
import { helmRelease } from "./helm.js";
import { ingressClassName, namespaces } from "./names.js";

/** A TCP port the controller forwards to a Service (ingress-nginx `tcp` values), e.g. local Kafka. */
export interface TcpPassthrough {
  readonly port: number;
  /** `<namespace>/<service>:<port>` */
  readonly backend: string;
  /** Fixed node port on a NodePort controller Service. */
  readonly nodePort?: number;
}

export interface IngressControllerArgs {
  /** LoadBalancer on AKS (Azure Load Balancer), NodePort on minikube. */
  readonly serviceType: "LoadBalancer" | "NodePort";
  /** Two or more replicas with a PDB and zone spread. @default false */
  readonly highAvailability?: boolean;
  /** Largest request body the controller accepts. @default "1m" */
  readonly maxBodySize?: string;
  readonly tcp?: readonly TcpPassthrough[];
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * Helm values of ingress-nginx: TLS only (HTTP redirects to HTTPS, HSTS with a year's max-age), a body
 * size limit, snippets disabled (CVE-2025-1974 class of issues), metrics with a ServiceMonitor.
 * WebSocket upgrades need no snippet: the controller forwards Upgrade/Connection headers for every
 * location; the long timeouts are set per Ingress (see ingress-routes.ts).
 */
export function ingressControllerValues(args: IngressControllerArgs): Record<string, unknown> {
  const ha = args.highAvailability ?? false;
  const tcp = args.tcp ?? [];
  return {
    controller: {
      ingressClassResource: { name: ingressClassName, default: true },
      ingressClass: ingressClassName,
      replicaCount: ha ? 3 : 1,
      minAvailable: ha ? 2 : 1,
      allowSnippetAnnotations: false,
      config: {
        "ssl-redirect": "true",
        "force-ssl-redirect": "true",
        hsts: "true",
        "hsts-max-age": "31536000",
        "hsts-include-subdomains": "true",
        "proxy-body-size": args.maxBodySize ?? "1m",
        "ssl-protocols": "TLSv1.2 TLSv1.3",
        "use-forwarded-headers": "false",
        "enable-real-ip": "false",
        // Rate-limited requests (the routes' limit-rpm) get 429, not nginx's default 503.
        "limit-req-status-code": "429",
      },
      service: {
        type: args.serviceType,
        externalTrafficPolicy: "Local",
        ...(args.serviceType === "LoadBalancer"
          ? { annotations: { "service.beta.kubernetes.io/azure-load-balancer-health-probe-request-path": "/healthz" } }
          : {}),
        ...(tcp.some((t) => t.nodePort)
          ? { nodePorts: { tcp: Object.fromEntries(tcp.filter((t) => t.nodePort).map((t) => [String(t.port), t.nodePort])) } }
          : {}),
      },
      metrics: { enabled: true, serviceMonitor: { enabled: true } },
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
      topologySpreadConstraints: ha
        ? [
            {
              maxSkew: 1,
              topologyKey: "topology.kubernetes.io/zone",
              whenUnsatisfiable: "DoNotSchedule",
              labelSelector: { matchLabels: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" } },
            },
          ]
        : [],
      admissionWebhooks: { enabled: true },
    },
    ...(tcp.length ? { tcp: Object.fromEntries(tcp.map((t) => [String(t.port), t.backend])) } : {}),
  };
}

export class IngressController extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;

  constructor(name: string, args: IngressControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:IngressController", name, {}, opts);
    for (const t of args.tcp ?? []) {
      if (!/^[a-z0-9-]+\/[a-z0-9-]+:\d+$/.test(t.backend)) {
        throw new pulumi.ResourceError(`tcp: backend "${t.backend}" must look like <namespace>/<service>:<port>`, this);
      }
      if (t.nodePort !== undefined && args.serviceType !== "NodePort") {
        throw new pulumi.ResourceError("tcp: nodePort only applies to a NodePort controller Service", this);
      }
    }
    this.release = helmRelease(
      `${name}-release`,
      { chart: charts.ingressNginx, releaseName: "ingress-nginx", namespace: namespaces.ingress, values: ingressControllerValues(args) },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({});
  }
}
