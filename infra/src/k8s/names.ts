import { daprSystemNamespace, serviceAccounts } from "@tasks/catalog";

/** Namespaces of the platform. `workloads` comes from the catalog: workload identity trusts it. */
export const namespaces = {
  workloads: serviceAccounts.namespace,
  /** Local stack only: Redpanda and Postgres. */
  data: "tasks-data",
  certManager: "cert-manager",
  ingress: "ingress-nginx",
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
  ingressController: { "app.kubernetes.io/name": "ingress-nginx", "app.kubernetes.io/component": "controller" },
  prometheus: { "app.kubernetes.io/name": "prometheus" },
  coreDns: { "k8s-app": "kube-dns" },
  acmeSolver: { "acme.cert-manager.io/http01-solver": "true" },
} as const;

/** Ingress class of the ingress-nginx controller. */
export const ingressClassName = "nginx";

/** Name of the TLS secret cert-manager fills for the public host. */
export const publicTlsSecret = "tasks-public-tls";
