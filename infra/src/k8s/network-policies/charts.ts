import { daprControlPlanePorts } from "@tasks/catalog";
import { chartPodLabels, namespaceSelector, namespaces, partOf } from "../names.js";
import { allowDns, defaultDeny, nonPublicRanges, podsIn, policy, tcp, type NetworkPolicyManifest, type Peer } from "./build.js";

/** Container ports the API server calls back into (admission and conversion webhooks). */
export const webhookPorts = {
  [namespaces.certManager]: [10250],
  [namespaces.ingress]: [8443],
  [namespaces.monitoring]: [10250],
  [namespaces.dapr]: [4000, 19443],
} as const;

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
  /** cert-manager talks to Let's Encrypt and self-checks HTTP-01 through the public address. */
  readonly acme: boolean;
}

/** The control plane (konnectivity in kube-system, or the API server's own address) calling a webhook. */
const apiServerCallers: Peer[] = [{ ipBlock: { cidr: "0.0.0.0/0" } }, { namespaceSelector: namespaceSelector("kube-system") }];
const prometheus = podsIn(namespaces.monitoring, chartPodLabels.prometheus);
const sameNamespace: Peer = { podSelector: {} };

/**
 * Policies of the namespaces the Helm charts run in. Each starts from default deny like the workload
 * namespace, then opens what the chart needs: DNS, the API server, traffic between its own pods,
 * webhook calls, Prometheus scraping, and its specific flows (public traffic into the ingress
 * controller and on to the public services, sidecars to the Dapr control plane, ACME, scraping).
 */
export function chartNetworkPolicies(input: ChartNetworkInput): NetworkPolicyManifest[] {
  const chartNamespaces = [namespaces.certManager, namespaces.ingress, namespaces.monitoring, namespaces.dapr];
  const out: NetworkPolicyManifest[] = [];
  for (const ns of chartNamespaces) {
    out.push(
      defaultDeny(ns),
      allowDns(ns),
      policy(ns, "allow-same-namespace", undefined, { ingress: [{ from: [sameNamespace] }], egress: [{ to: [sameNamespace] }] }),
      policy(ns, "allow-kube-api", undefined, {
        egress: [{ to: input.apiServer.cidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: tcp(input.apiServer.port) }],
      }),
      policy(ns, "allow-webhooks", undefined, { ingress: [{ from: apiServerCallers, ports: tcp(...webhookPorts[ns]) }] }),
    );
    if (ns !== namespaces.monitoring) out.push(policy(ns, "allow-prometheus-scrape", undefined, { ingress: [{ from: [prometheus] }] }));
  }
  const tcpPassthrough = input.ingressTcp ?? [];
  out.push(
    policy(
      namespaces.ingress,
      "allow-public-traffic",
      { ...chartPodLabels.ingressController },
      {
        ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(80, 443, ...tcpPassthrough.map((t) => t.port)) }],
        egress: [
          {
            to: [
              {
                namespaceSelector: namespaceSelector(namespaces.workloads),
                podSelector: { matchLabels: { "app.kubernetes.io/part-of": partOf } },
              },
            ],
            ports: tcp(...new Set(input.publicAppPorts)),
          },
          ...(input.acme ? [{ to: [podsIn(namespaces.workloads, chartPodLabels.acmeSolver)], ports: tcp(8089) }] : []),
          ...tcpPassthrough.map((t) => ({ to: [podsIn(t.namespace, t.podLabels)], ports: tcp(t.port) })),
        ],
      },
    ),
    policy(namespaces.dapr, "allow-sidecars", undefined, {
      ingress: [
        {
          from: [
            {
              namespaceSelector: namespaceSelector(namespaces.workloads),
              podSelector: { matchLabels: { "app.kubernetes.io/part-of": partOf } },
            },
          ],
          ports: tcp(
            daprControlPlanePorts.operator,
            daprControlPlanePorts.sentry,
            daprControlPlanePorts.placement,
            daprControlPlanePorts.scheduler,
          ),
        },
      ],
    }),
    // Prometheus scrapes pods in every namespace, and node-exporter (host network, 9100) and the kubelets (10250) on the nodes.
    policy(
      namespaces.monitoring,
      "allow-scraping",
      { ...chartPodLabels.prometheus },
      {
        egress: [
          { to: [{ namespaceSelector: {}, podSelector: {} }] },
          { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: tcp(9100, 10250) },
        ],
      },
    ),
  );
  if (input.acme) {
    out.push(
      policy(namespaces.certManager, "allow-acme", undefined, {
        egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...nonPublicRanges] } }], ports: tcp(80, 443) }],
      }),
    );
  }
  return out;
}
