/** The test suite of an AKS stack (dev, prod) under mocks; each stack's test file runs it once. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { allServices, secretNames } from "@tasks/catalog";
import { subnetLayout } from "@tasks/infra/azure/network/index";
import { manifestsOf, releasesOf, type Manifest } from "../src/offline/render-manifests.js";
import { runStackMocked, type MockedRun } from "../src/offline/mocked-run.js";
import { loadStackConfig } from "../src/offline/stack-config.js";
import { ingressRateLimits } from "../src/config/ingress-rate-limit.js";
import { defaultIngressRateLimits } from "@tasks/infra/k8s/rate-limit";
import {
  byKind,
  checkDapr,
  checkDatabaseRoles,
  checkMonitoringAndIngress,
  checkNetworkPolicies,
  checkProviders,
  checkWorkloads,
  crdBundle,
  named,
  podProblems,
  podTemplates,
  releasesAfterCrds,
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
      // As deploy.yml runs it: with the digests of the images CI pushed (a real up stops without them).
      const digests = Object.fromEntries(allServices.map((s, i) => [s.name, `sha256:${String(i).repeat(64)}`]));
      run = await runStackMocked(stack, { configOverrides: { imageDigests: JSON.stringify(digests) } });
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
      // CI pushed them: the program builds and pushes nothing (no registry credentials needed, no preview push).
      assert.deepEqual(
        run.resources.filter((r) => r.type === "docker-build:index:Image"),
        [],
      );
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
        assert.deepEqual(get(i, "spec", "acme", "solvers", 0, "http01", "gatewayHTTPRoute", "parentRefs"), [
          { group: "gateway.networking.k8s.io", kind: "Gateway", name: "public", namespace: "ingress", sectionName: "http" },
        ]);
      }
      assert.equal(get(named(manifests, "Certificate", "tasks-public-tls"), "spec", "issuerRef", "name"), cfg("tlsIssuer"));
    });

    it("rate-limits the public routes at the ingress with the stack's ingressRateLimit, defaults for unset keys", () => {
      const raw = config["tasks-platform:ingressRateLimit"];
      const expected = ingressRateLimits(raw === undefined ? undefined : (JSON.parse(raw) as Parameters<typeof ingressRateLimits>[0]));
      const limit = (name: string) => {
        const m = manifests.find((x) => x.kind === "Middleware" && x.metadata.name === name && x.metadata.namespace === "tasks");
        return { requestsPerMinute: get(m, "spec", "rateLimit", "average"), burst: get(m, "spec", "rateLimit", "burst") };
      };
      assert.deepEqual({ perToken: limit("rate-limit-per-token"), perAddress: limit("rate-limit-per-address") }, expected);
      if (stack === "prod") assert.equal(expected.perAddress.requestsPerMinute, 3000);
      else assert.deepEqual(expected, defaultIngressRateLimits);
    });

    it(
      stack === "dev" ? "deploys Chaos Mesh and its paused game-day experiments against the workload namespace" : "deploys no Chaos Mesh",
      () => {
        const schedules = manifests.filter((m) => m.kind === "Schedule" && m.apiVersion === "chaos-mesh.org/v1alpha1");
        const release = releasesOf(run.resources).find((r) => r.chart === "chaos-mesh");
        if (stack === "prod") {
          assert.deepEqual([schedules.length, release], [0, undefined]);
          assert.equal(get(named(manifests, "Namespace", "tasks"), "metadata", "annotations"), undefined);
          return;
        }
        assert.equal(get(release?.values, "controllerManager", "enableFilterNamespace"), true);
        assert.deepEqual(get(named(manifests, "Namespace", "tasks"), "metadata", "annotations"), { "chaos-mesh.org/inject": "enabled" });
        assert.deepEqual(
          schedules
            .map((s) => [s.metadata.name, String(get(s, "spec", "schedule")), get(s, "spec", "type")])
            .sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
          [
            ["pod-kill-recurrence", "0 10 * * 3", "PodChaos"],
            ["pod-kill-notifications", "8 10 * * 3", "PodChaos"],
            ["pod-kill-audit", "16 10 * * 3", "PodChaos"],
            ["pod-kill-realtime", "24 10 * * 3", "PodChaos"],
            ["broker-delay", "32 10 * * 3", "NetworkChaos"],
            ["broker-partition", "40 10 * * 3", "NetworkChaos"],
            ["zone-pod-kill", "48 10 * * 3", "PodChaos"],
          ].sort((a, b) => a[1]!.localeCompare(b[1]!)),
        );
        for (const s of schedules) {
          assert.equal(s.metadata.namespace, "tasks");
          assert.deepEqual(get(s, "metadata", "annotations"), { "experiment.chaos-mesh.org/pause": "true" });
        }
        const partition = get(named(schedules, "Schedule", "broker-partition"), "spec", "networkChaos");
        assert.deepEqual(get(partition, "selector", "namespaces"), ["tasks"]);
        assert.match(String(get(partition, "externalTargets", 0)), /\.servicebus\.windows\.net$/);
        assert.deepEqual(get(named(schedules, "Schedule", "zone-pod-kill"), "spec", "podChaos", "selector", "nodeSelectors"), {
          "topology.kubernetes.io/zone": "westeurope-1",
        });
      },
    );

    it("applies the CRDs before the charts (CRD step: standard Gateway API channel), and the charts skip their own", () => {
      assert.equal(crdBundle(run, "gatewayApi"), "standard-install.yaml");
      assert.deepEqual(releasesAfterCrds(run), ["cert-manager", "dapr", "kube-prometheus-stack", "opentelemetry-collector", "traefik"]);
      assert.equal(get(releaseValues(run, "dapr"), "skipCrds"), undefined);
      const skip = (chart: string) =>
        run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === chart)!.inputs.skipCrds;
      assert.deepEqual(["dapr", "kube-prometheus-stack", "traefik", "cert-manager"].map(skip), [true, true, true, false]);
      assert.equal(crdBundle(run, "traefik"), "kubernetes-crd-definition-v1.yml");
    });

    it("gives the ingress Service the program's static IP, after the control plane may use it", () => {
      const ann = get(releaseValues(run, "traefik"), "service", "annotations") as Obj;
      assert.ok(String(ann["service.beta.kubernetes.io/azure-pip-name"]).length > 0);
      assert.equal(
        ann["service.beta.kubernetes.io/azure-load-balancer-resource-group"],
        (cfg("bootstrap") as { resourceGroupName: string }).resourceGroupName,
      );
      const traefik = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart === "traefik")!;
      const assignment = run.resources.find((r) => r.type === "azure-native:authorization:RoleAssignment" && r.name.includes("ingress"));
      assert.ok(assignment && traefik.dependsOn.includes(assignment.urn), "the release waits for the control plane's Network Contributor");
    });

    it(`sizes the control planes for ${ha ? "high availability" : "a single replica"}`, () => {
      assert.equal(get(releaseValues(run, "cert-manager"), "replicaCount"), ha ? 2 : 1);
      assert.equal(get(releaseValues(run, "traefik"), "deployment", "replicas"), ha ? 3 : 1);
      assert.equal(get(releaseValues(run, "traefik"), "service", "spec", "type"), "LoadBalancer");
      assert.deepEqual(get(releaseValues(run, "cert-manager"), "webhook", "podDisruptionBudget"), { enabled: ha, minAvailable: 1 });
      assert.deepEqual(get(releaseValues(run, "cert-manager"), "cainjector", "podDisruptionBudget"), { enabled: ha, minAvailable: 1 });
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
