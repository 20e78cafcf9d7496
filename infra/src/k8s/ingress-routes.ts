import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "@tasks/catalog";
import { appLabels, ingressClassName, partOfLabels, publicTlsSecret } from "./names.js";

/** Seconds a WebSocket may stay idle through the controller before it is closed. */
export const websocketTimeoutSeconds = 3600;

export interface IngressRouteInput {
  readonly namespace: string;
  readonly host: string;
  readonly services: readonly ServiceSpec[];
  /** Largest request body per route. @default "1m" */
  readonly maxBodySize?: string;
  /**
   * Requests per minute one client address may send to a route, at the controller (429 beyond, bursts of
   * 5x). ingress-nginx keys its limit on the client address (the Service keeps it: externalTrafficPolicy
   * Local), not on the user; the per-user limit is the services' (RATE_LIMIT_PER_MINUTE). @default none
   */
  readonly requestsPerMinutePerClient?: number;
}

/**
 * One Ingress per service with public routes (annotations are per Ingress, and only the WebSocket route
 * gets long timeouts). TLS only: every Ingress names the certificate secret and redirects HTTP.
 */
export function ingressManifests(input: IngressRouteInput) {
  return input.services
    .filter((s) => s.publicRoutes.length > 0)
    .map((s) => {
      const websocket = s.publicRoutes.some((r) => r.websocket);
      return {
        apiVersion: "networking.k8s.io/v1" as const,
        kind: "Ingress" as const,
        metadata: {
          name: s.name,
          namespace: input.namespace,
          labels: appLabels(s.name),
          annotations: {
            "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
            "nginx.ingress.kubernetes.io/proxy-body-size": input.maxBodySize ?? "1m",
            ...(input.requestsPerMinutePerClient
              ? { "nginx.ingress.kubernetes.io/limit-rpm": String(input.requestsPerMinutePerClient) }
              : {}),
            ...(websocket
              ? {
                  "nginx.ingress.kubernetes.io/proxy-read-timeout": String(websocketTimeoutSeconds),
                  "nginx.ingress.kubernetes.io/proxy-send-timeout": String(websocketTimeoutSeconds),
                  "nginx.ingress.kubernetes.io/proxy-http-version": "1.1",
                }
              : {}),
          },
        },
        spec: {
          ingressClassName,
          tls: [{ hosts: [input.host], secretName: publicTlsSecret }],
          rules: [
            {
              host: input.host,
              http: {
                paths: s.publicRoutes.map((r) => ({
                  path: r.path,
                  pathType: "Prefix" as const,
                  backend: { service: { name: s.name, port: { name: "http" } } },
                })),
              },
            },
          ],
        },
      };
    });
}

/** The certificate of the public host, issued by the stack's ClusterIssuer into the TLS secret. */
export function publicCertificateManifest(namespace: string, host: string, issuer: string) {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: publicTlsSecret, namespace, labels: { ...partOfLabels } },
    spec: {
      secretName: publicTlsSecret,
      dnsNames: [host],
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      issuerRef: { name: issuer, kind: "ClusterIssuer", group: "cert-manager.io" },
    },
  } as const;
}

export interface IngressRoutesArgs extends IngressRouteInput {
  /** ClusterIssuer that signs the public certificate. */
  readonly issuer: string;
  /** The controller (its admission webhook validates Ingresses) and the issuers. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class IngressRoutes extends pulumi.ComponentResource {
  readonly certificate: k8s.apiextensions.CustomResource;
  readonly ingresses: k8s.networking.v1.Ingress[];

  constructor(name: string, args: IngressRoutesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:IngressRoutes", name, {}, opts);
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(args.host)) {
      throw new pulumi.ResourceError(`host: "${args.host}" is not a lower-case DNS name`, this);
    }
    this.certificate = new k8s.apiextensions.CustomResource(
      `${name}-certificate`,
      publicCertificateManifest(args.namespace, args.host, args.issuer),
      {
        parent: this,
        dependsOn: args.dependsOn,
      },
    );
    this.ingresses = ingressManifests(args).map(
      (m) =>
        new k8s.networking.v1.Ingress(`${name}-${m.metadata.name}`, m, {
          parent: this,
          dependsOn: [this.certificate, ...(args.dependsOn ?? [])],
        }),
    );
    this.registerOutputs({});
  }
}
