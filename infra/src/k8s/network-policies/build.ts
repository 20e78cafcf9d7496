import { daprControlPlanePorts, daprSidecarPorts, runsDaprSidecar, type EgressTarget, type ServiceSpec } from "@tasks/catalog";
import { chartPodLabels, namespaceSelector, namespaces, partOfLabels, selectorLabels } from "../names.js";

/** Pods in another namespace, for in-cluster destinations (the local stack's Postgres and Redpanda). */
export interface PeerSelector {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** Where one kind of egress may go: CIDRs (cloud endpoints) and/or in-cluster pods, on one TCP port. */
export interface EgressDestination {
  readonly port: number;
  readonly cidrs?: readonly string[];
  /** Ranges carved out of every CIDR (for internet egress: the private ranges). */
  readonly except?: readonly string[];
  readonly peers?: readonly PeerSelector[];
}

export interface WorkloadNetworkInput {
  readonly namespace: string;
  readonly services: readonly ServiceSpec[];
  /** Destination of each catalog egress target; a target without one stays denied. */
  readonly egress: Partial<Record<EgressTarget, EgressDestination>>;
  /**
   * Egress the catalog does not name but the platform needs for some apps: the Kubernetes API for
   * sidecars using the kubernetes secret store, Entra ID for workload identity.
   */
  readonly additionalEgress?: readonly { readonly apps: readonly string[]; readonly destination: EgressDestination }[];
}

/** Private, link-local and shared address ranges: never "the internet". */
export const nonPublicRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"] as const;

/** Web Push services (FCM, Mozilla autopush, Apple) live on arbitrary public addresses, always on 443. */
export const webPushDestination: EgressDestination = { port: 443, cidrs: ["0.0.0.0/0"], except: nonPublicRanges };

export type Port = { protocol: "TCP" | "UDP"; port: number };
export type LabelExpression = { key: string; operator: "In"; values: string[] };
export type Peer = Record<string, unknown>;
export interface NetworkPolicyManifest {
  readonly apiVersion: "networking.k8s.io/v1";
  readonly kind: "NetworkPolicy";
  readonly metadata: { readonly name: string; readonly namespace: string; readonly labels: Record<string, string> };
  readonly spec: {
    readonly podSelector: { readonly matchLabels?: Record<string, string>; readonly matchExpressions?: LabelExpression[] };
    readonly policyTypes: ("Ingress" | "Egress")[];
    readonly ingress?: { from: Peer[]; ports?: Port[] }[];
    readonly egress?: { to: Peer[]; ports?: Port[] }[];
  };
}

export const tcp = (...ports: number[]): Port[] => ports.map((port) => ({ protocol: "TCP", port }));
export const podsIn = (namespace: string, labels: Readonly<Record<string, string>>): Peer => ({
  namespaceSelector: namespaceSelector(namespace),
  podSelector: { matchLabels: { ...labels } },
});
const podsHere = (labels: Readonly<Record<string, string>>): Peer => ({ podSelector: { matchLabels: { ...labels } } });

/** A NetworkPolicy; a rule without ports (or with an empty list) applies to every port of its peers. */
export function policy(
  namespace: string,
  name: string,
  podLabels: Record<string, string> | undefined,
  rules: { ingress?: { from: Peer[]; ports?: Port[] }[]; egress?: { to: Peer[]; ports?: Port[] }[] },
): NetworkPolicyManifest {
  const noEmptyPorts = <R extends { ports?: Port[] }>(r: R): R =>
    r.ports && r.ports.length === 0 ? (({ ports: _, ...rest }) => rest as R)(r) : r;
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name, namespace, labels: { ...partOfLabels } },
    spec: {
      podSelector: podLabels ? { matchLabels: podLabels } : {},
      policyTypes: [...(rules.ingress ? (["Ingress"] as const) : []), ...(rules.egress ? (["Egress"] as const) : [])],
      ...(rules.ingress ? { ingress: rules.ingress.map(noEmptyPorts) } : {}),
      ...(rules.egress ? { egress: rules.egress.map(noEmptyPorts) } : {}),
    },
  };
}

/** Peers of a destination; empty when it has neither CIDRs nor pods (then no rule is emitted: a rule with no peers would allow everything). */
export function destinationPeers(d: EgressDestination): Peer[] {
  return [
    ...(d.cidrs ?? []).map((cidr) => ({ ipBlock: { cidr, ...(d.except?.length ? { except: [...d.except] } : {}) } })),
    ...(d.peers ?? []).map((p) => podsIn(p.namespace, p.podLabels)),
  ];
}

/** Deny all ingress and egress in the namespace; every path the pods need is opened by a policy below. */
export const defaultDeny = (namespace: string): NetworkPolicyManifest =>
  policy(namespace, "default-deny", undefined, { ingress: [], egress: [] });

/** DNS to CoreDNS, for every pod of the namespace. */
export const allowDns = (namespace: string): NetworkPolicyManifest =>
  policy(namespace, "allow-dns", undefined, {
    egress: [
      {
        to: [podsIn("kube-system", chartPodLabels.coreDns)],
        ports: [
          { protocol: "UDP", port: 53 },
          { protocol: "TCP", port: 53 },
        ],
      },
    ],
  });

/** Egress to the Dapr control plane for the pods that run a sidecar (catalog runsDaprSidecar), and only those. */
function controlPlanePolicy(ns: string, services: readonly ServiceSpec[]): NetworkPolicyManifest {
  const cp = daprControlPlanePorts;
  const p = policy(
    ns,
    "allow-dapr-control-plane",
    { ...partOfLabels },
    {
      egress: [
        { to: [{ namespaceSelector: namespaceSelector(namespaces.dapr) }], ports: tcp(cp.operator, cp.sentry, cp.placement, cp.scheduler) },
      ],
    },
  );
  const apps = services
    .filter(runsDaprSidecar)
    .map((s) => s.name)
    .sort();
  return {
    ...p,
    spec: {
      ...p.spec,
      podSelector: { ...p.spec.podSelector, matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: apps }] },
    },
  };
}

/**
 * Policies of the workload namespace, generated from the catalog: default deny, DNS, sidecars to the
 * Dapr control plane (only the pods that run one: catalog runsDaprSidecar), and per service exactly the
 * paths the catalog declares (kubelet probes come from the node and are not subject to policies).
 */
export function workloadNetworkPolicies(input: WorkloadNetworkInput): NetworkPolicyManifest[] {
  const ns = input.namespace;
  const out: NetworkPolicyManifest[] = [defaultDeny(ns), allowDns(ns), controlPlanePolicy(ns, input.services)];
  for (const s of input.services) {
    const callers = input.services
      .filter((c) => c.invokes.some((i) => i.app === s.name))
      .map((c) => c.name)
      .sort();
    const ingress = [
      ...(s.publicRoutes.length ? [{ from: [podsIn(namespaces.ingress, chartPodLabels.ingressController)], ports: tcp(s.port) }] : []),
      ...(callers.length ? [{ from: callers.map((c) => podsHere(selectorLabels(c))), ports: tcp(daprSidecarPorts.internalGrpc) }] : []),
      {
        from: [podsIn(namespaces.monitoring, chartPodLabels.prometheus)],
        ports: runsDaprSidecar(s) ? tcp(s.port, daprSidecarPorts.metrics) : tcp(s.port),
      },
    ];
    out.push(policy(ns, `${s.name}-ingress`, selectorLabels(s.name), { ingress }));

    const targets = [...new Set(s.invokes.map((i) => i.app))].sort();
    const egress = [
      ...(targets.length ? [{ to: targets.map((t) => podsHere(selectorLabels(t))), ports: tcp(daprSidecarPorts.internalGrpc) }] : []),
      ...[...s.egress].sort().flatMap((target) => {
        const d = input.egress[target];
        const peers = d ? destinationPeers(d) : [];
        return peers.length ? [{ to: peers, ports: tcp(d!.port) }] : [];
      }),
      ...(input.additionalEgress ?? []).flatMap((extra) => {
        const peers = extra.apps.includes(s.name) ? destinationPeers(extra.destination) : [];
        return peers.length ? [{ to: peers, ports: tcp(extra.destination.port) }] : [];
      }),
    ];
    out.push(policy(ns, `${s.name}-egress`, selectorLabels(s.name), { egress }));
  }
  return out;
}

/** A data service of the local stack: who may connect to it, and on which port. */
export interface DataServiceAccess {
  readonly name: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
  readonly from: readonly PeerSelector[];
}

/** Policies of the local data namespace: default deny, DNS, and each data service open to its clients only. */
export function dataNetworkPolicies(namespace: string, access: readonly DataServiceAccess[]): NetworkPolicyManifest[] {
  return [
    defaultDeny(namespace),
    allowDns(namespace),
    ...access.map((a) =>
      policy(
        namespace,
        `${a.name}-ingress`,
        { ...a.podLabels },
        { ingress: [{ from: a.from.map((p) => podsIn(p.namespace, p.podLabels)), ports: tcp(a.port) }] },
      ),
    ),
  ];
}
