import { daprSystemNamespace, serviceAccounts } from "@tasks/catalog";

/** Namespaces of the platform. `workloads` comes from the catalog: workload identity trusts it. */
export const namespaces = {
  workloads: serviceAccounts.namespace,
  /** Local stack only: Redpanda and Postgres. */
  data: "tasks-data",
  certManager: "cert-manager",
  /** The ingress controller (Traefik, a Gateway API implementation) and the public Gateway. */
  ingress: "ingress",
  monitoring: "monitoring",
  dapr: daprSystemNamespace,
} as const;

const partOf = "tasks";

/**
 * The label every object of the platform carries (`app.kubernetes.io/part-of: tasks`). Network policies
 * select the services' pods by it (the Dapr control plane, the ingress controller, the data pods admit
 * them), so a pod without it is cut off, and one with it is let in: the database-roles Job goes without.
 */
export const partOfLabels: Readonly<Record<"app.kubernetes.io/part-of", string>> = { "app.kubernetes.io/part-of": partOf };

/** Labels every object of a service carries. */
export const appLabels = (app: string): Record<string, string> => ({ "app.kubernetes.io/name": app, ...partOfLabels });

/** The immutable subset used in selectors (Deployment, Service, PDB, NetworkPolicy). */
export const selectorLabels = (app: string): Record<string, string> => ({ "app.kubernetes.io/name": app });

/** Label Kubernetes puts on every namespace (1.21+); network policies select namespaces by it. */
export const namespaceSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

/** Pod labels of the components installed by the charts, for network policy peers. */
export const chartPodLabels = {
  ingressController: { "app.kubernetes.io/name": "traefik" },
  /** cert-manager's controller: it runs the HTTP-01 self-check against the public host. */
  certManagerController: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" },
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  coreDns: { "k8s-app": "kube-dns" },
  acmeSolver: { "acme.cert-manager.io/http01-solver": "true" },
} as const;

/** The GatewayClass of the ingress controller (Traefik's controller name is traefik.io/gateway-controller). */
export const gatewayClassName = "traefik";

/** The one public Gateway, in the ingress namespace. */
export const publicGateway = { name: "public", namespace: namespaces.ingress } as const;

/**
 * The Gateway's listeners. Traefik binds a Gateway listener to its entrypoint of the same port, so these are
 * the controller pods' container ports (unprivileged; the Service maps 80 and 443 to them).
 */
export const gatewayListeners = {
  http: { name: "http", port: 8000, servicePort: 80 },
  https: { name: "https", port: 8443, servicePort: 443 },
} as const;

/** Name of the TLS secret cert-manager fills for the public host (in the Gateway's namespace). */
export const publicTlsSecret = "tasks-public-tls";
