import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  charts,
  clusterIssuerManifests,
  daprControlPlaneValues,
  certManagerValues,
  crdBundles,
  traefikVersion,
  gatewayApiVersion,
  gatewayClassManifest,
  gatewayManifest,
  httpsRedirectRouteManifest,
  ingressControllerValues,
  kubePrometheusStackValues,
  platformNamespaceSpecs,
  publicCertificateManifest,
  serviceRouteManifests,
  rateLimitMiddlewareManifests,
  bearerTokenMatch,
  tcpRouteManifests,
} from "../../src/k8s/index.js";
import { allServices, ingressPathMatches } from "@tasks/catalog";

describe("platform component values", () => {
  it("pins every chart to an exact version", () => {
    for (const c of Object.values(charts)) {
      assert.match(c.version, /^v?\d+\.\d+\.\d+$/, `${c.chart} ${c.version}`);
      assert.match(c.repo, /^https:\/\//);
    }
  });

  it("installs the same Dapr version the integration tier runs", () => {
    const goMod = readFileSync(new URL("../../../tools/dapr/go.mod", import.meta.url), "utf8");
    const required = /github\.com\/dapr\/dapr v(\d+\.\d+\.\d+)/.exec(goMod)?.[1];
    assert.equal(charts.dapr.version, required);
  });

  it("runs Dapr with mTLS, the scheduler, restricted sidecars, and HA when asked", () => {
    const prod = daprControlPlaneValues({ highAvailability: true }) as {
      global: Record<string, Record<string, unknown>>;
      dapr_sidecar_injector: Record<string, unknown>;
    };
    assert.equal(prod.global.ha!.enabled, true);
    assert.equal(prod.global.mtls!.enabled, true);
    assert.equal(prod.global.scheduler!.enabled, true);
    assert.equal(prod.dapr_sidecar_injector.sidecarDropALLCapabilities, true);
    assert.equal((daprControlPlaneValues({ highAvailability: false }) as typeof prod).global.ha!.enabled, false);
    // The chart's default: the scheduler's volume claims cannot grow by a chart upgrade (was 1Gi).
    assert.deepEqual((prod as unknown as { dapr_scheduler: unknown }).dapr_scheduler, { cluster: { storageSize: "16Gi" } });
  });

  it("makes Let's Encrypt issuers answer HTTP-01 through the public Gateway's HTTP listener, and requires a contact email", () => {
    const issuers = clusterIssuerManifests("acme", "ops@example.com");
    assert.deepEqual(
      issuers.map((i) => [i.metadata.name, (i.spec.acme as { server: string }).server]),
      [
        ["letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory"],
        ["letsencrypt-prod", "https://acme-v02.api.letsencrypt.org/directory"],
      ],
    );
    for (const i of issuers)
      assert.deepEqual((i.spec.acme as { solvers: unknown }).solvers, [
        {
          http01: {
            gatewayHTTPRoute: {
              serviceType: "ClusterIP",
              parentRefs: [
                { group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "ingress", sectionName: "http" },
              ],
            },
          },
        },
      ]);
    assert.throws(() => clusterIssuerManifests("acme"), { message: "tls.acmeEmail: Let's Encrypt issuers need a contact email" });
    assert.deepEqual(
      clusterIssuerManifests("selfsigned").map((i) => Object.keys(i.spec)[0]),
      ["selfSigned", "ca"],
    );
  });

  it("runs cert-manager with Gateway API support, and with HA a PDB for the controller, the webhook and the cainjector", () => {
    const ha = certManagerValues(true) as Record<string, Record<string, unknown>>;
    assert.equal(ha.config!.enableGatewayAPI, true);
    for (const pdb of [ha.podDisruptionBudget, ha.webhook!.podDisruptionBudget, ha.cainjector!.podDisruptionBudget])
      assert.deepEqual(pdb, { enabled: true, minAvailable: 1 });
    assert.equal(ha.webhook!.replicaCount, 2);
    assert.equal(ha.cainjector!.replicaCount, 2);
    const single = certManagerValues(false) as typeof ha;
    assert.deepEqual(single.webhook!.podDisruptionBudget, { enabled: false, minAvailable: 1 });
  });

  it("runs Traefik as a Gateway API implementation: no IngressClass, no own Gateway, no dashboard, restricted ports; CRD provider for the routes' Middlewares only", () => {
    const v = ingressControllerValues({
      serviceType: "LoadBalancer",
      host: "tasks.example.com",
      issuer: "x",
      highAvailability: true,
      middlewareNamespaces: ["tasks"],
    }) as Record<string, Record<string, unknown>>;
    assert.deepEqual(v.providers, {
      // The gateway provider resolves ExtensionRef Middlewares through the CRD provider: on, in the routes' namespaces only.
      kubernetesCRD: {
        enabled: true,
        namespaces: ["tasks"],
        allowCrossNamespace: false,
        allowExternalNameServices: false,
        allowEmptyServices: false,
      },
      kubernetesIngress: { enabled: false },
      kubernetesGateway: { enabled: true, experimentalChannel: false },
    });
    assert.deepEqual([v.ingressClass, v.gateway, v.gatewayClass], [{ enabled: false }, { enabled: false }, { enabled: false }]);
    // An empty namespace list would have Traefik read every namespace's Middlewares: the workloads' by default.
    const unset = ingressControllerValues({ serviceType: "NodePort", host: "h", issuer: "x", middlewareNamespaces: [] }) as typeof v;
    assert.deepEqual((unset.providers!.kubernetesCRD as { namespaces: string[] }).namespaces, ["tasks"]);
    assert.equal(v.api!.dashboard, false);
    assert.deepEqual(v.deployment, { replicas: 3 });
    assert.deepEqual(v.podDisruptionBudget, { enabled: true, minAvailable: 2 });
    const ports = v.ports as Record<string, { port: number; exposedPort: number; transport?: unknown }>;
    assert.deepEqual([ports.web!.port, ports.web!.exposedPort, ports.websecure!.port, ports.websecure!.exposedPort], [8000, 80, 8443, 443]);
    assert.deepEqual(ports.websecure!.transport, { respondingTimeouts: { readTimeout: "3600s" } });
    assert.deepEqual(v.service!.spec, { type: "LoadBalancer", externalTrafficPolicy: "Local" });
    assert.equal(v.service!.annotations, undefined);
  });

  it("gives the LoadBalancer Service the program's static IP by name, and a TCP passthrough its entrypoint", () => {
    const lb = ingressControllerValues({
      serviceType: "LoadBalancer",
      host: "h",
      issuer: "x",
      publicIp: { name: "tasks-dev-ingress-ip", resourceGroupName: "tasks-dev-rg" },
    }) as Record<string, Record<string, unknown>>;
    assert.deepEqual(lb.service!.annotations, {
      "service.beta.kubernetes.io/azure-pip-name": "tasks-dev-ingress-ip",
      "service.beta.kubernetes.io/azure-load-balancer-resource-group": "tasks-dev-rg",
    });
    const local = ingressControllerValues({
      serviceType: "NodePort",
      host: "h",
      issuer: "x",
      tcp: [{ name: "kafka", port: 19092, nodePort: 31092, backend: { namespace: "tasks-data", service: "redpanda", port: 19092 } }],
    }) as Record<string, Record<string, unknown>>;
    assert.deepEqual((local.ports as Record<string, unknown>).kafka, {
      port: 19092,
      expose: { default: true },
      exposedPort: 19092,
      protocol: "TCP",
      nodePort: 31092,
    });
    assert.equal((local.providers!.kubernetesGateway as { experimentalChannel: boolean }).experimentalChannel, true);
  });

  it("builds one Gateway: HTTP for redirects and ACME (own namespace only), HTTPS with the certificate (workload routes), TCP per passthrough", () => {
    const tcp = [{ name: "kafka", port: 19092, backend: { namespace: "tasks-data", service: "redpanda", port: 19092 } }];
    const gw = gatewayManifest({ host: "tasks.example.com", routesNamespace: "tasks", tcp });
    assert.equal(gatewayClassManifest().spec.controllerName, "traefik.io/gateway-controller");
    assert.deepEqual(
      gw.spec.listeners.map((l) => [l.name, l.protocol, l.port]),
      [
        ["http", "HTTP", 8000],
        ["https", "HTTPS", 8443],
        ["kafka", "TCP", 19092],
      ],
    );
    const [http, https, kafka] = gw.spec.listeners as Record<string, unknown>[];
    assert.deepEqual(http!.allowedRoutes, { namespaces: { from: "Same" }, kinds: [{ kind: "HTTPRoute" }] });
    assert.deepEqual(https!.tls, { mode: "Terminate", certificateRefs: [{ kind: "Secret", group: "", name: "tasks-public-tls" }] });
    assert.deepEqual((https!.allowedRoutes as { namespaces: unknown }).namespaces, {
      from: "Selector",
      selector: { matchLabels: { "kubernetes.io/metadata.name": "tasks" } },
    });
    assert.deepEqual((kafka!.allowedRoutes as { kinds: unknown }).kinds, [{ kind: "TCPRoute" }]);
    // The local stack's OpenID Provider routes /idp from its own namespace: the HTTPS listener admits both.
    const withIdp = gatewayManifest({ host: "h", routesNamespace: "tasks", extraRoutesNamespaces: ["tasks-data"] });
    assert.deepEqual((withIdp.spec.listeners[1]!.allowedRoutes as { namespaces: unknown }).namespaces, {
      from: "Selector",
      selector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "In", values: ["tasks", "tasks-data"] }] },
    });
    assert.deepEqual(tcpRouteManifests(tcp)[0]!.spec, {
      parentRefs: [{ group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "ingress", sectionName: "kafka" }],
      rules: [{ backendRefs: [{ name: "redpanda", port: 19092 }] }],
    });
  });

  it("redirects plain HTTP to HTTPS, and routes every public route on HTTPS only, with HSTS", () => {
    const redirect = httpsRedirectRouteManifest("tasks.example.com");
    assert.deepEqual(redirect.spec.rules, [
      { filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] },
    ]);
    assert.equal(redirect.spec.parentRefs[0]!.sectionName, "http");
    const routes = serviceRouteManifests({ namespace: "tasks", host: "tasks.example.com", services: allServices });
    assert.deepEqual(
      routes.map((r) => r.metadata.name),
      allServices.filter((s) => s.publicRoutes.length).map((s) => s.name),
    );
    // Each HTTP service's OpenAPI document is reachable: under its public prefix, or matched exactly.
    assert.deepEqual(
      Object.fromEntries(routes.map((r) => [r.metadata.name, r.spec.rules[0]!.matches.map((m) => `${m.path.type} ${m.path.value}`)])),
      {
        "tasks-api": [
          "PathPrefix /api/v1/tasks",
          "PathPrefix /api/v1/calendar-feeds",
          "PathPrefix /calendar",
          "Exact /api/v1/openapi.json",
        ],
        notifications: ["PathPrefix /api/v1/notifications"],
        audit: ["PathPrefix /api/v1/audit"],
        realtime: ["PathPrefix /ws"],
        web: ["PathPrefix /"],
        mcp: ["PathPrefix /mcp", "PathPrefix /.well-known/oauth-protected-resource/mcp"],
      },
    );
    for (const r of routes) {
      assert.deepEqual(
        r.spec.parentRefs.map((p) => p.sectionName),
        ["https"],
      );
      const hsts = {
        type: "ResponseHeaderModifier",
        responseHeaderModifier: { set: [{ name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains" }] },
      };
      const mw = (name: string) => ({ type: "ExtensionRef", extensionRef: { group: "traefik.io", kind: "Middleware", name } });
      // Bearer requests: per address and per token; the rest (preflights, upgrades): per address only.
      assert.equal(r.spec.rules.length, 2);
      assert.deepEqual(r.spec.rules[0]!.filters, [hsts, mw("rate-limit-per-address"), mw("rate-limit-per-token")]);
      assert.ok(
        r.spec.rules[0]!.matches.every((m) => JSON.stringify((m as { headers?: unknown }).headers) === JSON.stringify([bearerTokenMatch])),
      );
      assert.deepEqual(r.spec.rules[1]!.filters, [hsts, mw("rate-limit-per-address")]);
      assert.ok(r.spec.rules[1]!.matches.every((m) => !("headers" in m)));
      // Both rules match the same paths (the catalog's ingress matches, its OpenAPI document included).
      assert.deepEqual(
        r.spec.rules.map((rule) => rule.matches.map((m) => m.path)),
        [0, 1].map(() => ingressPathMatches(allServices.find((s) => s.name === r.metadata.name)!)),
      );
    }
    const [token, address] = rateLimitMiddlewareManifests("tasks", {
      perToken: { requestsPerMinute: 300, burst: 30 },
      perAddress: { requestsPerMinute: 900, burst: 90 },
    });
    assert.deepEqual(
      [token!.apiVersion, token!.kind, token!.metadata.name, token!.metadata.namespace],
      ["traefik.io/v1alpha1", "Middleware", "rate-limit-per-token", "tasks"],
    );
    assert.deepEqual(token!.spec.rateLimit, {
      average: 300,
      period: "1m",
      burst: 30,
      sourceCriterion: { requestHeaderName: "Authorization" },
    });
    assert.deepEqual(address!.spec.rateLimit, { average: 900, period: "1m", burst: 90, sourceCriterion: { ipStrategy: {} } });
    const cert = publicCertificateManifest("tasks.example.com", "letsencrypt-prod");
    assert.deepEqual(
      [cert.metadata.namespace, cert.spec.secretName, cert.spec.issuerRef.name],
      ["ingress", "tasks-public-tls", "letsencrypt-prod"],
    );
  });

  it("CRD step: the Gateway API channel by target, the Prometheus operator's, Dapr's and Traefik's CRDs at the versions the charts pin", () => {
    const std = crdBundles("standard");
    assert.deepEqual(
      std.map((b) => b.owner),
      ["gatewayApi", "kubePrometheusStack", "dapr", "traefik"],
    );
    assert.deepEqual(std[3]!.files, [
      `https://raw.githubusercontent.com/traefik/traefik/${traefikVersion}/docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml`,
    ]);
    assert.deepEqual(std[0]!.files, [
      `https://github.com/kubernetes-sigs/gateway-api/releases/download/${gatewayApiVersion}/standard-install.yaml`,
    ]);
    assert.match(crdBundles("experimental")[0]!.files[0]!, /experimental-install\.yaml$/);
    assert.ok(std[2]!.files.every((f) => f.includes(`/dapr/dapr/v${charts.dapr.version}/charts/dapr/crds/`)));
    // Helm would install these once and never upgrade them: the charts skip them, the CRD step applies them.
    assert.equal(charts.dapr.skipCrds, true);
    assert.equal(charts.kubePrometheusStack.skipCrds, true);
    assert.equal(charts.traefik.skipCrds, true);
  });

  it("lets Prometheus select every monitor and rule, and takes Grafana's password from a Secret", () => {
    const v = kubePrometheusStackValues({
      highAvailability: true,
      retention: "30d",
      grafanaAdminSecret: "grafana-admin",
      alertRouting: {
        email: { to: ["oncall@example.com"], from: "tasks@example.com", smarthost: "smtp.example.com:587", requireTls: true },
      },
    }) as {
      prometheus: { prometheusSpec: Record<string, unknown> };
      grafana: { admin: Record<string, string>; adminPassword?: string };
    };
    for (const k of ["serviceMonitorSelectorNilUsesHelmValues", "podMonitorSelectorNilUsesHelmValues", "ruleSelectorNilUsesHelmValues"])
      assert.equal(v.prometheus.prometheusSpec[k], false);
    assert.equal(v.prometheus.prometheusSpec.replicas, 2);
    assert.deepEqual(v.grafana.admin, { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" });
    assert.equal(v.grafana.adminPassword, undefined);
  });

  it("enforces Pod Security restricted in the namespaces that run the apps and their data", () => {
    const specs = platformNamespaceSpecs(true);
    assert.equal(specs.find((s) => s.name === "tasks")?.enforce, "restricted");
    assert.equal(specs.find((s) => s.name === "tasks-data")?.enforce, "restricted");
    assert.equal(
      platformNamespaceSpecs(false).some((s) => s.name === "tasks-data"),
      false,
    );
  });
});
