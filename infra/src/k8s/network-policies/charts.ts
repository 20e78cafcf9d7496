import { daprControlPlanePorts } from "@tasks/catalog";
import { chartPodLabels, gatewayListeners, namespaceSelector, namespaces, partOfLabels } from "../names.js";
import { chaosMeshNamespace, chaosMeshWebhookPort } from "../chaos-mesh.js";
import { kedaNamespace, kedaOperatorPodLabels } from "../keda.js";
import { lagExporterPodLabels } from "../monitoring/lag-exporter.js";
import { traceCollector, traceCollectorPodLabels } from "../monitoring/trace-collector.js";
import {
  allowDns,
  defaultDeny,
  destinationPeers,
  nonPublicRanges,
  podsIn,
  policy,
  tcp,
  type EgressDestination,
  type NetworkPolicyManifest,
  type Peer,
} from "./build.js";

/** Container ports the API server calls back into (admission and conversion webhooks); Traefik has none. */
export const webhookPorts: Readonly<Record<string, readonly number[]>> = {
  [namespaces.certManager]: [10250],
  [namespaces.ingress]: [],
  [namespaces.monitoring]: [10250],
  [namespaces.dapr]: [4000, 19443],
  // KEDA's admission webhooks and its metrics API server (an APIService the API server calls).
  [kedaNamespace]: [9443, 6443],
  // Chaos Mesh's controller validates and mutates experiments.
  [chaosMeshNamespace]: [chaosMeshWebhookPort],
};

export interface ChartNetworkInput {
  /** Where pods reach the Kubernetes API after the kubernetes Service's DNAT. */
  readonly apiServer: { readonly cidrs: readonly string[]; readonly port: number };
  /** Ports of the app Services the ingress controller forwards to. */
  readonly publicAppPorts: readonly number[];
  /** Extra TCP ports the controller listens on, each forwarded to a pod in the data namespace. */
  readonly ingressTcp?: readonly {
    readonly port: number;
    readonly namespace: string;
    readonly podLabels: Readonly<Record<string, string>>;
  }[];
  /** Pods outside the workload namespace the controller routes HTTP to (local: the OpenID Provider's port). */
  readonly httpBackends?: readonly {
    readonly port: number;
    readonly namespace: string;
    readonly podLabels: Readonly<Record<string, string>>;
  }[];
  /** cert-manager talks to Let's Encrypt and self-checks HTTP-01 through the public address. */
  readonly acme: boolean;
  /**
   * The monitoring pods' own paths: Alertmanager to the SMTP relay (and, with `internet`, to the chat webhook and
   * the heartbeat monitor), the lag exporter to the broker, the trace collector (to Application Insights with `internet`).
   */
  readonly monitoring?: { readonly smtp: EgressDestination; readonly broker: EgressDestination; readonly internet: boolean };
  /** KEDA from its chart (minikube): its namespace's baseline, and its operator reading the broker's consumer groups. */
  readonly keda?: { readonly broker: EgressDestination };
  /**
   * Chaos Mesh (game days on dev): its namespace's baseline only. The controller reaches chaos-daemon inside the
   * namespace; the daemon acts inside the target pods' network namespaces, which no policy sees.
   */
  readonly chaosMesh?: boolean;
}

/** The control plane (konnectivity in kube-system, or the API server's own address) calling a webhook. */
const apiServerCallers: Peer[] = [{ ipBlock: { cidr: "0.0.0.0/0" } }, { namespaceSelector: namespaceSelector("kube-system") }];
const prometheus = podsIn(namespaces.monitoring, chartPodLabels.prometheus);
const sameNamespace: Peer = { podSelector: {} };

/** The services' pods (every pod of the workload namespace that is part of the platform). */
const workloadPods: Peer = {
  namespaceSelector: namespaceSelector(namespaces.workloads),
  podSelector: { matchLabels: { ...partOfLabels } },
};

/**
 * Policies of the namespaces the Helm charts run in. Each starts from default deny like the workload
 * namespace, then opens what the chart needs: DNS, the API server, traffic between its own pods,
 * webhook calls, Prometheus scraping, and its specific flows (public traffic into the ingress
 * controller and on to the public services, sidecars to the Dapr control plane, ACME, scraping).
 */
export function chartNetworkPolicies(input: ChartNetworkInput): NetworkPolicyManifest[] {
  const chartNamespaces = [namespaces.certManager, namespaces.ingress, namespaces.monitoring, namespaces.dapr];
  return [
    ...chartNamespaces.flatMap((ns) => chartBaseline(ns, input)),
    ingressControllerPolicy(input),
    daprSidecarsPolicy(),
    prometheusScrapingPolicy(),
    ...(input.monitoring ? monitoringPolicies(input.monitoring) : []),
    ...(input.keda
      ? [
          ...chartBaseline(kedaNamespace, input),
          policy(
            kedaNamespace,
            "allow-operator-broker",
            { ...kedaOperatorPodLabels },
            {
              egress: [{ to: destinationPeers(input.keda.broker), ports: tcp(input.keda.broker.port) }],
            },
          ),
        ]
      : []),
    ...(input.chaosMesh ? chartBaseline(chaosMeshNamespace, input) : []),
    ...(input.acme ? [acmePolicy(), acmeSolverPolicy()] : []),
  ];
}

/** What every chart namespace gets: default deny, DNS, its own pods, the API server, webhooks, being scraped. */
function chartBaseline(ns: string, input: ChartNetworkInput): NetworkPolicyManifest[] {
  const webhooks = webhookPorts[ns] ?? [];
  return [
    defaultDeny(ns),
    allowDns(ns),
    policy(ns, "allow-same-namespace", undefined, { ingress: [{ from: [sameNamespace] }], egress: [{ to: [sameNamespace] }] }),
    policy(ns, "allow-kube-api", undefined, {
      egress: [{ to: input.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(input.apiServer.port) }],
    }),
    // No port list would mean every port: a namespace without webhooks gets no such policy.
    ...(webhooks.length
      ? [policy(ns, "allow-webhooks", undefined, { ingress: [{ from: apiServerCallers, ports: tcp(...webhooks) }] })]
      : []),
    ...(ns !== namespaces.monitoring ? [policy(ns, "allow-prometheus-scrape", undefined, { ingress: [{ from: [prometheus] }] })] : []),
  ];
}

/** The port cert-manager's HTTP-01 solver pods answer challenges on. */
export const acmeSolverPort = 8089;

/**
 * Public traffic into the ingress controller, and from it to the public services, ACME solvers and TCP
 * passthroughs. Ports are the controller's container ports (the Service maps 80/443 to 8000/8443; a policy
 * sees the port after that translation). With ACME, cert-manager's controller is allowed in by selector: its
 * HTTP-01 self-check goes to the public address, which the cluster short-circuits to the controller pods, and
 * on Azure CNI powered by Cilium an ipBlock never matches a pod's address.
 */
function ingressControllerPolicy(input: ChartNetworkInput): NetworkPolicyManifest {
  const tcpPassthrough = input.ingressTcp ?? [];
  const listenerPorts = [gatewayListeners.http.port, gatewayListeners.https.port];
  return policy(
    namespaces.ingress,
    "allow-public-traffic",
    { ...chartPodLabels.ingressController },
    {
      ingress: [
        { from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(...listenerPorts, ...tcpPassthrough.map((t) => t.port)) },
        ...(input.acme
          ? [{ from: [podsIn(namespaces.certManager, chartPodLabels.certManagerController)], ports: tcp(gatewayListeners.http.port) }]
          : []),
      ],
      egress: [
        { to: [workloadPods], ports: tcp(...new Set(input.publicAppPorts)) },
        ...(input.acme ? [{ to: [{ podSelector: { matchLabels: { ...chartPodLabels.acmeSolver } } }], ports: tcp(acmeSolverPort) }] : []),
        ...tcpPassthrough.map((t) => ({ to: [podsIn(t.namespace, t.podLabels)], ports: tcp(t.port) })),
        ...(input.httpBackends ?? []).map((b) => ({ to: [podsIn(b.namespace, b.podLabels)], ports: tcp(b.port) })),
      ],
    },
  );
}

/** The services' sidecars reach the Dapr operator, sentry, placement and scheduler. */
const daprSidecarsPolicy = (): NetworkPolicyManifest =>
  policy(namespaces.dapr, "allow-sidecars", undefined, {
    ingress: [
      {
        from: [workloadPods],
        ports: tcp(
          daprControlPlanePorts.operator,
          daprControlPlanePorts.sentry,
          daprControlPlanePorts.placement,
          daprControlPlanePorts.scheduler,
        ),
      },
    ],
  });

// Prometheus scrapes pods in every namespace, and node-exporter (host network, 9100) and the kubelets (10250) on the nodes.
const prometheusScrapingPolicy = (): NetworkPolicyManifest =>
  policy(
    namespaces.monitoring,
    "allow-scraping",
    { ...chartPodLabels.prometheus },
    {
      egress: [{ to: [{ namespaceSelector: {}, podSelector: {} }] }, { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(9100, 10250) }],
    },
  );

/**
 * cert-manager reaches Let's Encrypt, and self-checks HTTP-01 through the public address: Cilium translates
 * that address to the controller pods before the policy applies, so they are named by selector as well.
 */
const acmePolicy = (): NetworkPolicyManifest =>
  policy(namespaces.certManager, "allow-acme", undefined, {
    egress: [
      { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...nonPublicRanges] } }], ports: tcp(80, 443) },
      { to: [podsIn(namespaces.ingress, chartPodLabels.ingressController)], ports: tcp(gatewayListeners.http.port) },
    ],
  });

/** The HTTP-01 solver pods (in the Gateway's namespace, next to the Certificate) take challenges from the controller only. */
const acmeSolverPolicy = (): NetworkPolicyManifest =>
  policy(
    namespaces.ingress,
    "allow-acme-http01-solver",
    { ...chartPodLabels.acmeSolver },
    { ingress: [{ from: [{ podSelector: { matchLabels: { ...chartPodLabels.ingressController } } }], ports: tcp(acmeSolverPort) }] },
  );

const alertmanagerPods = { "app.kubernetes.io/name": "alertmanager" } as const;
const publicHttps = { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...nonPublicRanges] } }], ports: tcp(443) };

/** Alertmanager delivers alerts, the lag exporter reads the broker, the sidecars send spans to the trace collector. */
function monitoringPolicies(m: NonNullable<ChartNetworkInput["monitoring"]>): NetworkPolicyManifest[] {
  return [
    policy(
      namespaces.monitoring,
      "allow-alert-delivery",
      { ...alertmanagerPods },
      {
        egress: [{ to: destinationPeers(m.smtp), ports: tcp(m.smtp.port) }, ...(m.internet ? [publicHttps] : [])],
      },
    ),
    policy(
      namespaces.monitoring,
      "allow-lag-exporter-broker",
      { ...lagExporterPodLabels },
      {
        egress: [{ to: destinationPeers(m.broker), ports: tcp(m.broker.port) }],
      },
    ),
    policy(
      namespaces.monitoring,
      "allow-trace-collector",
      { ...traceCollectorPodLabels },
      {
        ingress: [{ from: [workloadPods], ports: tcp(traceCollector.grpcPort) }],
        ...(m.internet ? { egress: [publicHttps] } : {}),
      },
    ),
  ];
}
