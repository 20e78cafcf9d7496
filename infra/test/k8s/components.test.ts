import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import {
  charts,
  clusterIssuerManifests,
  daprControlPlaneValues,
  ingressControllerValues,
  ingressManifests,
  kubePrometheusStackValues,
  platformNamespaceSpecs,
} from "../../src/k8s/index.js";
import { allServices } from "@tasks/catalog";

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
  });

  it("makes Let's Encrypt issuers answer HTTP-01 through nginx, and requires a contact email", () => {
    const issuers = clusterIssuerManifests("acme", "ops@example.com");
    assert.deepEqual(
      issuers.map((i) => [i.metadata.name, (i.spec.acme as { server: string }).server]),
      [
        ["letsencrypt-staging", "https://acme-staging-v02.api.letsencrypt.org/directory"],
        ["letsencrypt-prod", "https://acme-v02.api.letsencrypt.org/directory"],
      ],
    );
    assert.throws(() => clusterIssuerManifests("acme"), { message: "tls.acmeEmail: Let's Encrypt issuers need a contact email" });
    assert.deepEqual(
      clusterIssuerManifests("selfsigned").map((i) => Object.keys(i.spec)[0]),
      ["selfSigned", "ca"],
    );
  });

  it("serves TLS only through ingress-nginx, with HSTS, a body limit, no snippets, and optional TCP passthrough", () => {
    const v = ingressControllerValues({
      serviceType: "NodePort",
      tcp: [{ port: 19092, backend: "tasks-data/redpanda:19092", nodePort: 31092 }],
    }) as {
      controller: { config: Record<string, string>; allowSnippetAnnotations: boolean; service: Record<string, unknown> };
      tcp: Record<string, string>;
    };
    assert.equal(v.controller.config.hsts, "true");
    assert.equal(v.controller.config["force-ssl-redirect"], "true");
    assert.equal(v.controller.config["proxy-body-size"], "1m");
    assert.equal(v.controller.allowSnippetAnnotations, false);
    assert.deepEqual(v.tcp, { "19092": "tasks-data/redpanda:19092" });
    assert.deepEqual(v.controller.service.nodePorts, { tcp: { "19092": 31092 } });
    assert.equal("tcp" in (ingressControllerValues({ serviceType: "LoadBalancer" }) as object), false);
  });

  it("routes every public route over TLS, with long timeouts only on the WebSocket route", () => {
    const ings = ingressManifests({ namespace: "tasks", host: "tasks.example.com", services: allServices });
    assert.deepEqual(
      ings.map((i) => i.metadata.name),
      allServices.filter((s) => s.publicRoutes.length).map((s) => s.name),
    );
    const ws = ings.find((i) => i.metadata.name === "realtime")!;
    assert.equal((ws.metadata.annotations as Record<string, string>)["nginx.ingress.kubernetes.io/proxy-read-timeout"], "3600");
    const api = ings.find((i) => i.metadata.name === "tasks-api")!;
    assert.equal((api.metadata.annotations as Record<string, string>)["nginx.ingress.kubernetes.io/proxy-read-timeout"], undefined);
    assert.deepEqual(api.spec.tls, [{ hosts: ["tasks.example.com"], secretName: "tasks-public-tls" }]);
    assert.equal((api.metadata.annotations as Record<string, string>)["nginx.ingress.kubernetes.io/limit-rpm"], undefined);
  });

  it("limits each client address per route at the controller when asked, answering 429", () => {
    const ings = ingressManifests({
      namespace: "tasks",
      host: "tasks.example.com",
      services: allServices,
      requestsPerMinutePerClient: 600,
    });
    assert.ok(ings.length > 0);
    for (const i of ings) assert.equal((i.metadata.annotations as Record<string, string>)["nginx.ingress.kubernetes.io/limit-rpm"], "600");
    const v = ingressControllerValues({ serviceType: "LoadBalancer" }) as { controller: { config: Record<string, string> } };
    assert.equal(v.controller.config["limit-req-status-code"], "429");
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
