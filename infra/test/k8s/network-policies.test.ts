import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allServices, services, type ServiceSpec } from "@tasks/catalog";
import {
  chartNetworkPolicies,
  dataNetworkPolicies,
  destinationPeers,
  webPushDestination,
  workloadNetworkPolicies,
  type NetworkPolicyManifest,
  type WorkloadNetworkInput,
} from "../../src/k8s/index.js";

const input = (over: Partial<WorkloadNetworkInput> = {}): WorkloadNetworkInput => ({
  namespace: "tasks",
  services: allServices,
  egress: {
    postgres: { port: 5432, cidrs: ["10.40.16.0/24"] },
    broker: { port: 9093, cidrs: ["10.40.17.0/24"] },
    keyvault: { port: 443, cidrs: ["10.40.17.0/24"] },
    smtp: { port: 587, cidrs: ["198.51.100.0/24"] },
    webpush: webPushDestination,
  },
  ...over,
});
const find = (ps: NetworkPolicyManifest[], name: string) => {
  const p = ps.find((x) => x.metadata.name === name);
  assert.ok(p, `no policy ${name}`);
  return p;
};
const egressPorts = (ps: NetworkPolicyManifest[], svc: string) =>
  find(ps, `${svc}-egress`)
    .spec.egress!.map((r) => r.ports![0]!.port)
    .sort((a, b) => a - b);

describe("network policies from the catalog", () => {
  it("starts from default deny for ingress and egress, then DNS and the Dapr control plane", () => {
    const ps = workloadNetworkPolicies(input());
    assert.deepEqual(find(ps, "default-deny").spec, { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] });
    assert.deepEqual(find(ps, "allow-dns").spec.egress![0]!.ports!, [
      { protocol: "UDP", port: 53 },
      { protocol: "TCP", port: 53 },
    ]);
    assert.deepEqual(
      find(ps, "allow-dapr-control-plane").spec.egress![0]!.ports!.map((p) => p.port),
      [6500, 50001, 50005, 50006],
    );
    // Only the pods that run a sidecar reach the control plane: not the web app's.
    assert.deepEqual(find(ps, "allow-dapr-control-plane").spec.podSelector, {
      matchLabels: { "app.kubernetes.io/part-of": "tasks" },
      matchExpressions: [
        { key: "app.kubernetes.io/name", operator: "In", values: ["audit", "mcp", "notifications", "realtime", "recurrence", "tasks-api"] },
      ],
    });
  });

  it("opens sidecar-to-sidecar invocation (50002) only along the catalog's invocation paths", () => {
    const ps = workloadNetworkPolicies(input());
    const from = find(ps, "tasks-api-ingress").spec.ingress!.find((r) => r.ports![0]!.port === 50002)!;
    assert.deepEqual(from.from, [
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "mcp" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "notifications" } } },
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "recurrence" } } },
    ]);
    // Only the mcp server invokes audit (its acting-user route); nothing invokes realtime.
    assert.deepEqual(find(ps, "audit-ingress").spec.ingress!.find((r) => r.ports![0]!.port === 50002)!.from, [
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "mcp" } } },
    ]);
    assert.equal(
      find(ps, "realtime-ingress").spec.ingress!.some((r) => r.ports!.some((p) => p.port === 50002)),
      false,
    );
    assert.deepEqual(find(ps, "recurrence-egress").spec.egress!.find((r) => r.ports![0]!.port === 50002)!.to, [
      { podSelector: { matchLabels: { "app.kubernetes.io/name": "tasks-api" } } },
    ]);
  });

  it("lets each service reach exactly the egress targets the catalog lists", () => {
    const ps = workloadNetworkPolicies(input());
    assert.deepEqual(egressPorts(ps, "recurrence"), [9093, 50002]);
    assert.deepEqual(egressPorts(ps, "notifications"), [443, 443, 587, 5432, 9093, 50002]);
    assert.deepEqual(egressPorts(ps, "audit"), [443, 5432, 9093]);
  });

  it("sends Web Push to public addresses only", () => {
    const ps = workloadNetworkPolicies(input());
    const push = find(ps, "notifications-egress").spec.egress!.find((r) => JSON.stringify(r.to).includes("0.0.0.0/0"))!;
    assert.deepEqual(push.to, [
      { ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "100.64.0.0/10"] } },
    ]);
  });

  it("emits no rule for a destination without CIDRs or pods (an empty peer list would allow everything)", () => {
    assert.deepEqual(destinationPeers({ port: 5432, cidrs: [] }), []);
    const ps = workloadNetworkPolicies(input({ egress: { postgres: { port: 5432, cidrs: [] } } }));
    for (const p of ps) for (const r of p.spec.egress ?? []) assert.ok(r.to.length > 0, p.metadata.name);
    assert.deepEqual(egressPorts(ps, "audit"), []);
  });

  it("uses pod selectors for in-cluster destinations", () => {
    const ps = workloadNetworkPolicies(
      input({
        egress: { postgres: { port: 5432, peers: [{ namespace: "tasks-data", podLabels: { "app.kubernetes.io/name": "postgres" } }] } },
      }),
    );
    assert.deepEqual(find(ps, "audit-egress").spec.egress, [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tasks-data" } },
            podSelector: { matchLabels: { "app.kubernetes.io/name": "postgres" } },
          },
        ],
        ports: [{ protocol: "TCP", port: 5432 }],
      },
    ]);
  });

  it("adds platform egress only for the apps that need it", () => {
    const ps = workloadNetworkPolicies(
      input({ egress: {}, additionalEgress: [{ apps: ["tasks-api"], destination: { port: 8443, cidrs: ["192.168.49.2/32"] } }] }),
    );
    // 50002: its own calls to notifications' sidecar (the calendar feed's default reminders), from the catalog.
    assert.deepEqual(egressPorts(ps, "tasks-api"), [8443, 50002]);
    assert.deepEqual(egressPorts(ps, "audit"), []);
  });

  it("admits the ingress controller to public services, Prometheus to every service (and to the sidecar's metrics where there is one)", () => {
    const ps = workloadNetworkPolicies(input());
    const fromController = (svc: ServiceSpec) =>
      find(ps, `${svc.name}-ingress`).spec.ingress!.some((r) => JSON.stringify(r.from).includes('"app.kubernetes.io/name":"traefik"'));
    assert.equal(fromController(services["tasks-api"]), true);
    assert.equal(fromController(services.recurrence), false);
    for (const s of allServices) {
      const prom = find(ps, `${s.name}-ingress`).spec.ingress!.find((r) => JSON.stringify(r.from).includes("prometheus"))!;
      assert.deepEqual(
        prom.ports!.map((p) => p.port),
        s.dapr.length ? [s.port, 9090] : [s.port],
        s.name,
      );
    }
    assert.deepEqual(find(ps, "web-ingress").spec.ingress!.find((r) => JSON.stringify(r.from).includes("prometheus"))!.ports, [
      { protocol: "TCP", port: 5173 },
    ]);
    // The HTTP-01 solver pods run next to the Certificate, in the Gateway's namespace (chart policies).
    assert.equal(
      ps.some((p) => p.metadata.name === "allow-acme-http01-solver"),
      false,
    );
  });

  it("isolates the data namespace and opens each data service to its clients only", () => {
    const ps = dataNetworkPolicies("tasks-data", [
      { name: "postgres", podLabels: { app: "pg" }, port: 5432, from: [{ namespace: "tasks", podLabels: { tier: "app" } }] },
    ]);
    assert.deepEqual(
      ps.map((p) => p.metadata.name),
      ["default-deny", "allow-dns", "postgres-ingress"],
    );
    assert.deepEqual(find(ps, "postgres-ingress").spec, {
      podSelector: { matchLabels: { app: "pg" } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tasks" } },
              podSelector: { matchLabels: { tier: "app" } },
            },
          ],
          ports: [{ protocol: "TCP", port: 5432 }],
        },
      ],
    });
  });

  it("isolates every chart namespace and opens only what its chart needs", () => {
    const ps = chartNetworkPolicies({
      apiServer: { cidrs: ["192.168.49.2/32"], port: 8443 },
      publicAppPorts: [3000, 3002],
      acme: false,
      ingressTcp: [{ port: 19092, namespace: "tasks-data", podLabels: { app: "redpanda" } }],
    });
    for (const ns of ["cert-manager", "ingress", "monitoring", "dapr-system"]) {
      const here = ps.filter((p) => p.metadata.namespace === ns);
      assert.deepEqual(
        here.find((p) => p.metadata.name === "default-deny")?.spec,
        { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] },
        ns,
      );
      assert.deepEqual(here.find((p) => p.metadata.name === "allow-kube-api")?.spec.egress, [
        { to: [{ ipBlock: { cidr: "192.168.49.2/32" } }], ports: [{ protocol: "TCP", port: 8443 }] },
      ]);
    }
    const controller = ps.find((p) => p.metadata.name === "allow-public-traffic")!;
    assert.deepEqual(
      controller.spec.ingress![0]!.ports!.map((p) => p.port),
      [8000, 8443, 19092],
    );
    // Traefik has no webhook: no allow-webhooks policy (a rule without ports would open every port).
    assert.equal(
      ps.some((p) => p.metadata.namespace === "ingress" && p.metadata.name === "allow-webhooks"),
      false,
    );
    assert.deepEqual(
      controller.spec.egress!.map((r) => r.ports!.map((p) => p.port)),
      [[3000, 3002], [19092]],
    );
    assert.deepEqual(
      ps.find((p) => p.metadata.name === "allow-sidecars")!.spec.ingress![0]!.ports!.map((p) => p.port),
      [6500, 50001, 50005, 50006],
    );
    assert.equal(
      ps.some((p) => p.metadata.name === "allow-acme"),
      false,
    );
    const acme = chartNetworkPolicies({ apiServer: { cidrs: ["0.0.0.0/0"], port: 443 }, publicAppPorts: [3000], acme: true });
    assert.deepEqual(
      acme.find((p) => p.metadata.name === "allow-acme")!.spec.egress![0]!.ports!.map((p) => p.port),
      [80, 443],
    );
    assert.deepEqual(acme.find((p) => p.metadata.name === "allow-public-traffic")!.spec.egress![1]!.ports, [
      { protocol: "TCP", port: 8089 },
    ]);
    assert.deepEqual(acme.find((p) => p.metadata.name === "allow-acme-http01-solver")!.spec, {
      podSelector: { matchLabels: { "acme.cert-manager.io/http01-solver": "true" } },
      policyTypes: ["Ingress"],
      ingress: [
        { from: [{ podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } } }], ports: [{ protocol: "TCP", port: 8089 }] },
      ],
    });
  });

  it("lets cert-manager's HTTP-01 self-check reach the controller by pod selector (Cilium: an ipBlock never matches a pod)", () => {
    const acme = chartNetworkPolicies({ apiServer: { cidrs: ["0.0.0.0/0"], port: 443 }, publicAppPorts: [3000], acme: true });
    const certManager = {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cert-manager" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller" } },
    };
    const traefik = {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "traefik" } },
    };
    assert.deepEqual(acme.find((p) => p.metadata.name === "allow-public-traffic")!.spec.ingress![1], {
      from: [certManager],
      ports: [{ protocol: "TCP", port: 8000 }],
    });
    assert.deepEqual(acme.find((p) => p.metadata.name === "allow-acme")!.spec.egress![1], {
      to: [traefik],
      ports: [{ protocol: "TCP", port: 8000 }],
    });
    const local = chartNetworkPolicies({ apiServer: { cidrs: ["0.0.0.0/0"], port: 443 }, publicAppPorts: [3000], acme: false });
    assert.equal(local.find((p) => p.metadata.name === "allow-public-traffic")!.spec.ingress!.length, 1);
  });
});
