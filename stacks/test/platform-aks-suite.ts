/** The test suite of an AKS stack (dev, prod) under mocks; each stack's test file runs it once. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { allServices, secretNames } from "@tasks/catalog";
import { subnetLayout } from "@tasks/infra/azure/network/index";
import { manifestsOf, type Manifest } from "../src/offline/render-manifests.js";
import { runStackMocked, type MockedRun } from "../src/offline/mocked-run.js";
import { loadStackConfig } from "../src/offline/stack-config.js";
import {
  byKind,
  checkDapr,
  checkDatabaseRoles,
  checkMonitoringAndIngress,
  checkNetworkPolicies,
  checkProviders,
  checkWorkloads,
  named,
  podProblems,
  podTemplates,
  releaseValues,
  renderAndValidate,
  notificationsEnvironment,
} from "./platform-assertions.js";

type Obj = Record<string, unknown>;
const get = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);

export function aksStackSuite(stack: "dev" | "prod"): void {
  const { config } = loadStackConfig(stack);
  const cfg = (key: string): unknown => {
    const raw = config[`tasks-platform:${key}`];
    assert.ok(raw !== undefined, `Pulumi.${stack}.yaml has no ${key}`);
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  };
  const ha = cfg("highAvailability") === true;
  const host = String(cfg("domain"));
  const expectations = { kind: "aks" as const, highAvailability: ha, workloadNamespaces: ["tasks"] };

  describe(`${stack} stack: Kubernetes platform on AKS (mocked)`, () => {
    let run: MockedRun;
    let manifests: Manifest[];
    before(async () => {
      run = await runStackMocked(stack);
      manifests = manifestsOf(run.resources);
    });

    it("runs every workload under Pod Security restricted with probes and limits", () => {
      assert.deepEqual(
        podTemplates(manifests).flatMap((p) => podProblems(p.where, p.template)),
        [],
      );
    });
    it("deploys every catalog service with its Dapr annotations, probes, resources, scaling (lag for consumers, CPU otherwise) and PDB", () =>
      checkWorkloads(run, manifests, expectations));
    it("gives notifications the relay's settings over STARTTLS with a login, credentials left to the secret store", () => {
      const env = notificationsEnvironment(manifests);
      const smtp = cfg("smtp") as Obj;
      assert.deepEqual(
        [env.SMTP_HOST, env.SMTP_PORT, env.SMTP_TLS, env.SMTP_AUTH, env.MAIL_FROM],
        [smtp.host, String(smtp.port), "starttls", "true", smtp.from],
      );
    });
    it("denies by default and opens only the catalog's paths", () => checkNetworkPolicies(run, manifests, expectations));
    it("generates the Dapr resources from the catalog for Event Hubs and Key Vault", () => checkDapr(run, manifests, expectations));
    it("monitors every service and routes the public ones through TLS ingress", () => checkMonitoringAndIngress(run, manifests, host));

    it("creates every Kubernetes object through the cluster's provider (kubelogin kubeconfig), never an ambient one", () =>
      checkProviders(run));
    it("runs the database-roles Job before every Deployment, restricted, reaching only the Postgres subnet", () =>
      checkDatabaseRoles(run, manifests, { ipBlock: { cidr: subnetLayout(String(get(cfg("network"), "addressSpace"))).postgres } }));

    it("binds each service account to the service's workload identity and runs images pushed to the stack's ACR", () => {
      const ids = run.outputs.workloadIdentityClientIds as Record<string, string>;
      const acr = String(run.outputs.acrLoginServer);
      for (const s of allServices) {
        assert.equal(
          get(named(manifests, "ServiceAccount", s.name), "metadata", "annotations", "azure.workload.identity/client-id"),
          ids[s.name],
        );
        const image = String(get(named(manifests, "Deployment", s.name), "spec", "template", "spec", "containers", 0, "image"));
        assert.ok(image.startsWith(`${acr}/${s.name}:src-`), `${s.name}: ${image} is not in ${acr}`);
      }
      const pushed = run.resources.filter((r) => r.type === "docker-build:index:Image");
      assert.equal(pushed.length, allServices.length);
      for (const p of pushed) assert.equal(p.inputs.push, true);
    });

    it("limits egress to the Postgres and private-endpoint subnets, the SMTP relay, Entra ID and Web Push", () => {
      const layout = subnetLayout(String(get(cfg("network"), "addressSpace")));
      const smtp = cfg("smtp") as Obj;
      const rules = (svc: string) =>
        (get(named(manifests, "NetworkPolicy", `${svc}-egress`), "spec", "egress") as Obj[]).map((r) => ({
          port: get(r, "ports", 0, "port"),
          cidrs: (r.to as Obj[]).map((t) => get(t, "ipBlock", "cidr")).filter(Boolean),
        }));
      const n = rules("notifications");
      assert.deepEqual(n.find((r) => r.port === 5432)?.cidrs, [layout.postgres]);
      assert.deepEqual(n.find((r) => r.port === 9093)?.cidrs, [layout.privateEndpoints]);
      assert.deepEqual(n.find((r) => r.port === smtp.port)?.cidrs, smtp.egressCidrs);
      assert.deepEqual(
        n
          .filter((r) => r.port === 443)
          .map((r) => r.cidrs)
          .sort(),
        [[layout.privateEndpoints], ["0.0.0.0/0"], ["0.0.0.0/0"]].sort(),
      );
      // recurrence talks to the broker and tasks-api, and its sidecar to Key Vault (the Event Hubs connection string) and Entra ID.
      assert.deepEqual(
        rules("recurrence")
          .map((r) => `${String(r.port)} ${r.cidrs.join()}`)
          .sort(),
        [`4317 `, `443 0.0.0.0/0`, `443 ${layout.privateEndpoints}`, `50002 `, `9093 ${layout.privateEndpoints}`],
      );
      // 4317: the sidecar's OTLP traces, to the collector's pods only.
      const otlp = (get(named(manifests, "NetworkPolicy", "recurrence-egress"), "spec", "egress") as Obj[]).find(
        (r) => get(r, "ports", 0, "port") === 4317,
      );
      assert.deepEqual(get(otlp, "to"), [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
          podSelector: { matchLabels: { "app.kubernetes.io/name": "opentelemetry-collector" } },
        },
      ]);
      assert.ok(named(manifests, "NetworkPolicy", "allow-acme-http01-solver"));
    });

    it("issues the public certificate from the configured Let's Encrypt issuer over HTTP-01", () => {
      assert.deepEqual(
        byKind(manifests, "ClusterIssuer")
          .map((i) => i.metadata.name)
          .sort(),
        ["letsencrypt-prod", "letsencrypt-staging"],
      );
      for (const i of byKind(manifests, "ClusterIssuer")) {
        assert.equal(get(i, "spec", "acme", "email"), cfg("acmeEmail"));
        assert.deepEqual(get(i, "spec", "acme", "solvers"), [{ http01: { ingress: { ingressClassName: "nginx" } } }]);
      }
      assert.equal(get(named(manifests, "Certificate", "tasks-public-tls"), "spec", "issuerRef", "name"), cfg("tlsIssuer"));
    });

    it(`sizes the control planes for ${ha ? "high availability" : "a single replica"}`, () => {
      assert.equal(get(releaseValues(run, "cert-manager"), "replicaCount"), ha ? 2 : 1);
      assert.equal(get(releaseValues(run, "ingress-nginx"), "controller", "replicaCount"), ha ? 3 : 1);
      assert.equal(get(releaseValues(run, "ingress-nginx"), "controller", "service", "type"), "LoadBalancer");
      assert.equal(get(releaseValues(run, "kube-prometheus-stack"), "prometheus", "prometheusSpec", "replicas"), ha ? 2 : 1);
      assert.equal(get(releaseValues(run, "dapr"), "global", "ha", "enabled"), ha);
    });

    it("takes Prometheus' retention and volume and the Dapr tracing rate from the stack config", () => {
      const monitoring = cfg("monitoring") as { retention: string; storageSize: string };
      const spec = get(releaseValues(run, "kube-prometheus-stack"), "prometheus", "prometheusSpec");
      assert.equal(get(spec, "retention"), monitoring.retention);
      assert.equal(get(spec, "storageSpec", "volumeClaimTemplate", "spec", "resources", "requests", "storage"), monitoring.storageSize);
      const rates = byKind(manifests, "Configuration").map((c) => get(c, "spec", "tracing", "samplingRate"));
      assert.ok(rates.length > 0);
      assert.deepEqual([...new Set(rates)], [(cfg("dapr") as { tracingSamplingRate: string }).tracingSamplingRate]);
    });

    it("reads Event Hubs' connection string from Key Vault by the name the Azure side stores it under", () => {
      assert.ok((run.outputs.keyVaultSecrets as string[]).includes(secretNames.eventHubsConnectionString));
      const store = named(manifests, "Component", "secretstore");
      assert.deepEqual(get(store, "spec", "metadata"), [{ name: "vaultName", value: run.outputs.keyVaultName }]);
    });

    it("renders manifests that pass the Kubernetes, cert-manager, Prometheus operator and Dapr schemas, with no secret values", async () => {
      const { count, problems, secretsLeaked, nameless } = await renderAndValidate(run);
      assert.ok(count > 80, `only ${count} objects rendered`);
      assert.deepEqual(problems, []);
      assert.deepEqual(secretsLeaked, []);
      assert.deepEqual(nameless, []);
    });
  });
}
