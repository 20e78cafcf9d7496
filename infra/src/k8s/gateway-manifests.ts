import { ingressPathMatches, type ServiceSpec } from "@tasks/catalog";
import { rateLimitedRules } from "./rate-limit.js";
import { appLabels, gatewayClassName, gatewayListeners, namespaceSelector, partOfLabels, publicGateway, publicTlsSecret } from "./names.js";

/**
 * The public entry as Gateway API objects (gateway.networking.k8s.io): one GatewayClass served by the ingress
 * controller, one Gateway with an HTTP listener that only redirects (and answers ACME HTTP-01 challenges: cert-
 * manager attaches its solver routes to it) and an HTTPS listener with the cert-manager certificate, and one
 * HTTPRoute per public service. Plain objects, so that tests, the policy pack and the kubernetes tier see them.
 */

/** HSTS on every HTTPS response: a year, subdomains included (what the ingress-nginx config set). */
export const hstsHeader = { name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" } as const;

/** A TCP port the Gateway forwards to a Service (local: Kafka to Redpanda's external listener). */
export interface TcpListener {
  /** Listener and entrypoint name, e.g. `kafka`. */
  readonly name: string;
  /** The controller's container port for it (a Gateway listener binds to the entrypoint of this port). */
  readonly port: number;
  /** Fixed node port on a NodePort controller Service. */
  readonly nodePort?: number;
  /** Where it goes: a Service in a namespace; the TCPRoute lives there, so no ReferenceGrant is needed. */
  readonly backend: { readonly namespace: string; readonly service: string; readonly port: number };
}

type Obj = Record<string, unknown>;

export const gatewayClassManifest = () => ({
  apiVersion: "gateway.networking.k8s.io/v1",
  kind: "GatewayClass",
  metadata: { name: gatewayClassName, labels: { ...partOfLabels } },
  spec: { controllerName: "traefik.io/gateway-controller", description: "Traefik: the public Gateway of the tasks platform" },
});

/**
 * The Gateway: HTTP (redirect and ACME challenges, routes of its own namespace only), HTTPS for `host` with the
 * certificate secret (routes of the workload namespace, and of `extraRoutesNamespaces`: the local stack's
 * OpenID Provider), and a TCP listener per passthrough (routes of the backend's namespace). Addresses are the
 * controller Service's: the static IP on AKS.
 */
export function gatewayManifest(args: {
  readonly host: string;
  readonly routesNamespace: string;
  readonly extraRoutesNamespaces?: readonly string[];
  readonly tcp?: readonly TcpListener[];
}) {
  const fromNamespace = (ns: string) => ({ namespaces: { from: "Selector", selector: namespaceSelector(ns) } });
  const httpsNamespaces = [args.routesNamespace, ...(args.extraRoutesNamespaces ?? [])];
  const fromHttpsNamespaces =
    httpsNamespaces.length === 1
      ? fromNamespace(args.routesNamespace)
      : {
          namespaces: {
            from: "Selector",
            selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: httpsNamespaces }] },
          },
        };
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "Gateway",
    metadata: { name: publicGateway.name, namespace: publicGateway.namespace, labels: { ...partOfLabels } },
    spec: {
      gatewayClassName,
      listeners: [
        {
          name: gatewayListeners.http.name,
          protocol: "HTTP",
          port: gatewayListeners.http.port,
          hostname: args.host,
          allowedRoutes: { namespaces: { from: "Same" }, kinds: [{ kind: "HTTPRoute" }] },
        },
        {
          name: gatewayListeners.https.name,
          protocol: "HTTPS",
          port: gatewayListeners.https.port,
          hostname: args.host,
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: publicTlsSecret }] },
          allowedRoutes: { ...fromHttpsNamespaces, kinds: [{ kind: "HTTPRoute" }] },
        },
        ...(args.tcp ?? []).map((t) => ({
          name: t.name,
          protocol: "TCP",
          port: t.port,
          allowedRoutes: { ...fromNamespace(t.backend.namespace), kinds: [{ kind: "TCPRoute" }] },
        })),
      ],
    },
  };
}

const parentRef = (sectionName: string) => ({
  group: "gateway.networking.k8s.io",
  kind: "Gateway",
  name: publicGateway.name,
  namespace: publicGateway.namespace,
  sectionName,
});

/** Every plain-HTTP request to the host is redirected to HTTPS (ACME's exact challenge paths win over this prefix). */
export function httpsRedirectRouteManifest(host: string) {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: "https-redirect", namespace: publicGateway.namespace, labels: { ...partOfLabels } },
    spec: {
      parentRefs: [parentRef(gatewayListeners.http.name)],
      hostnames: [host],
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  };
}

/**
 * One HTTPRoute per service with public routes, on the HTTPS listener only: the catalog's path prefixes to the
 * service's `http` port, with HSTS on every response and the ingress rate limits (rate-limit.ts: requests with
 * a bearer token per token and per address, the others per address). WebSocket upgrades pass through Traefik
 * as they are.
 */
export function serviceRouteManifests(input: {
  readonly namespace: string;
  readonly host: string;
  readonly services: readonly ServiceSpec[];
}) {
  return input.services
    .filter((s) => s.publicRoutes.length > 0)
    .map((s) => ({
      apiVersion: "gateway.networking.k8s.io/v1",
      kind: "HTTPRoute",
      metadata: { name: s.name, namespace: input.namespace, labels: appLabels(s.name) },
      spec: {
        parentRefs: [parentRef(gatewayListeners.https.name)],
        hostnames: [input.host],
        rules: rateLimitedRules({
          matches: ingressPathMatches(s).map((path) => ({ path })),
          filters: [{ type: "ResponseHeaderModifier", responseHeaderModifier: { set: [{ ...hstsHeader }] } }],
          backendRefs: [{ name: s.name, port: s.port }],
        }),
      },
    }));
}

/**
 * A TCPRoute per passthrough, in its backend's namespace. Written as v1 (v1alpha2 is deprecated); Traefik v3.7
 * watches v1alpha2, which only the experimental channel serves, and reads the same object through it (the
 * two versions share one schema, so the API server converts without a webhook).
 */
export function tcpRouteManifests(tcp: readonly TcpListener[]): Obj[] {
  return tcp.map((t) => ({
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "TCPRoute",
    metadata: { name: t.name, namespace: t.backend.namespace, labels: { ...partOfLabels } },
    spec: { parentRefs: [parentRef(t.name)], rules: [{ backendRefs: [{ name: t.backend.service, port: t.backend.port }] }] },
  }));
}

/** The certificate of the public host, issued by the stack's ClusterIssuer into the Gateway's TLS secret. */
export function publicCertificateManifest(host: string, issuer: string) {
  return {
    apiVersion: "cert-manager.io/v1",
    kind: "Certificate",
    metadata: { name: publicTlsSecret, namespace: publicGateway.namespace, labels: { ...partOfLabels } },
    spec: {
      secretName: publicTlsSecret,
      dnsNames: [host],
      privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
      issuerRef: { name: issuer, kind: "ClusterIssuer", group: "cert-manager.io" },
    },
  } as const;
}
