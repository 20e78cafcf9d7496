import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  allBrokerTopics,
  allServices,
  daprApiToken,
  daprAppToken,
  databaseRole,
  runsDaprSidecar,
  secretNames,
  servicesWithDatabase,
} from "@tasks/catalog";
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
  crdBundle,
  named,
  podProblems,
  podTemplates,
  releaseValues,
  renderAndValidate,
  secretStringData,
  type StackExpectations,
  notificationsEnvironment,
} from "./platform-assertions.js";

const expectations: StackExpectations = { kind: "minikube", highAvailability: false, workloadNamespaces: ["tasks", "tasks-data"] };
type Obj = Record<string, unknown>;

const { config } = loadStackConfig("local");

describe("local stack (minikube, mocked)", () => {
  let run: MockedRun;
  let manifests: Manifest[];
  before(async () => {
    run = await runStackMocked("local");
    manifests = manifestsOf(run.resources);
  });

  it("runs every workload, Redpanda and Postgres included, under Pod Security restricted with probes and limits", () => {
    assert.deepEqual(
      podTemplates(manifests).flatMap((p) => podProblems(p.where, p.template)),
      [],
    );
    for (const ns of ["tasks", "tasks-data"]) {
      assert.equal(get(named(manifests, "Namespace", ns), "metadata", "labels", "pod-security.kubernetes.io/enforce"), "restricted");
    }
  });

  it("deploys every catalog service with its Dapr annotations, probes, resources, scaling (lag for consumers, CPU otherwise) and PDB", () =>
    checkWorkloads(run, manifests, expectations));
  it("gives notifications the mail settings its config requires: the local catcher, without TLS or login", () => {
    const env = notificationsEnvironment(manifests);
    assert.deepEqual([env.SMTP_HOST, env.SMTP_PORT, env.SMTP_TLS, env.SMTP_AUTH], ["host.minikube.internal", "1025", "none", "false"]);
  });
  it("denies by default and opens only the catalog's paths", () => checkNetworkPolicies(run, manifests, expectations));
  it("generates the Dapr resources from the catalog for Redpanda and Kubernetes secrets", () => checkDapr(run, manifests, expectations));
  it("monitors every service and routes the public ones through TLS ingress", () =>
    checkMonitoringAndIngress(run, manifests, "tasks.192.168.49.2.nip.io"));
  it("creates every Kubernetes object through the minikube provider", () => checkProviders(run, "minikube"));

  it("opens Postgres and Redpanda only to the workloads, and Redpanda's external listener only to the ingress controller", () => {
    const rule = (name: string) =>
      get(
        named(
          manifests.filter((m) => m.metadata.namespace === "tasks-data"),
          "NetworkPolicy",
          name,
        ),
        "spec",
        "ingress",
        0,
      ) as Obj;
    assert.deepEqual(rule("postgres-ingress"), {
      from: [
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tasks" } },
          podSelector: { matchLabels: { "app.kubernetes.io/part-of": "tasks" } },
        },
        // The database-roles Job's pod (not part-of tasks: it gets no Dapr control-plane egress).
        {
          namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tasks" } },
          podSelector: { matchLabels: { "app.kubernetes.io/name": "database-roles", "app.kubernetes.io/component": "database-roles" } },
        },
      ],
      ports: [{ protocol: "TCP", port: 5432 }],
    });
    assert.deepEqual(get(rule("redpanda-external-ingress"), "ports"), [{ protocol: "TCP", port: 19092 }]);
    assert.equal(
      get(rule("redpanda-external-ingress"), "from", 0, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name"),
      "ingress",
    );
    const egress = get(named(manifests, "NetworkPolicy", "tasks-api-egress"), "spec", "egress") as Obj[];
    assert.ok(
      egress.some(
        (r) =>
          get(r, "to", 0, "podSelector", "matchLabels", "app.kubernetes.io/name") === "postgres" && get(r, "ports", 0, "port") === 5432,
      ),
    );
    // Sidecars that read Kubernetes secrets reach the API server, nobody else does.
    const toApi = (svc: string) =>
      (get(named(manifests, "NetworkPolicy", `${svc}-egress`), "spec", "egress") as Obj[]).some((r) => get(r, "ports", 0, "port") === 8443);
    assert.equal(toApi("tasks-api"), true);
    assert.equal(toApi("recurrence"), false);
  });

  it("creates every catalog topic and dead-letter topic on Redpanda, through the ingress controller's Kafka node port", () => {
    const topics = run.resources.filter((r) => r.type === "kafka:index/topic:Topic");
    assert.deepEqual(
      topics.map((t) => t.inputs.name).sort(),
      allBrokerTopics()
        .map((t) => t.name)
        .sort(),
    );
    for (const t of topics) assert.equal(t.inputs.replicationFactor, 1);
    const provider = run.resources.find((r) => r.type === "pulumi:providers:kafka");
    assert.deepEqual(JSON.parse(String(provider?.inputs.bootstrapServers)), ["192.168.49.2:31092"]);
    assert.deepEqual(get(releaseValues(run, "traefik"), "ports", "kafka"), {
      port: 19092,
      expose: { default: true },
      exposedPort: 19092,
      protocol: "TCP",
      nodePort: 31092,
    });
    const route = named(manifests, "TCPRoute", "kafka");
    assert.equal(route.metadata.namespace, "tasks-data");
    assert.deepEqual(get(route, "spec", "rules", 0, "backendRefs"), [{ name: "redpanda", port: 19092 }]);
    // TCPRoute is served by the Gateway API's experimental channel only: the local CRD step installs that one.
    assert.equal(crdBundle(run, "gatewayApi"), "experimental-install.yaml");
  });

  it("takes Prometheus' retention and the Dapr tracing rate from Pulumi.local.yaml; Prometheus keeps no volume", () => {
    const { config } = loadStackConfig("local");
    const monitoring = JSON.parse(config["tasks-platform:monitoring"]!) as { retention: string };
    const dapr = JSON.parse(config["tasks-platform:dapr"]!) as { tracingSamplingRate: string };
    const spec = get(releaseValues(run, "kube-prometheus-stack"), "prometheus", "prometheusSpec");
    assert.equal(get(spec, "retention"), monitoring.retention);
    assert.equal(get(spec, "storageSpec"), undefined);
    const rates = byKind(manifests, "Configuration").map((c) => get(c, "spec", "tracing", "samplingRate"));
    assert.ok(rates.length > 0);
    assert.deepEqual([...new Set(rates)], [dapr.tracingSamplingRate]);
  });

  it("keeps Redpanda and Postgres data on persistent volumes and creates one database per service that owns data", () => {
    for (const name of ["redpanda", "postgres"]) {
      const sts = named(manifests, "StatefulSet", name);
      assert.equal(get(sts, "spec", "volumeClaimTemplates", 0, "spec", "resources", "requests", "storage"), "5Gi");
    }
    const sql = String(get(named(manifests, "ConfigMap", "postgres-init"), "data", "01-databases.sql"));
    for (const s of servicesWithDatabase()) assert.ok(sql.includes(`CREATE DATABASE ${s.database};`));
  });

  it("stores each catalog secret in its own Kubernetes Secret and uses the self-signed CA issuer", () => {
    const secrets = byKind(manifests, "Secret")
      .filter((s) => s.metadata.namespace === "tasks")
      .map((s) => s.metadata.name)
      .sort();
    // Plus the database-roles Job's own Secret and each app's Dapr app token, which no sidecar's secret store may read.
    assert.deepEqual(
      secrets,
      [
        ...(run.outputs.localSecrets as string[]),
        "database-roles",
        ...allServices.filter(runsDaprSidecar).flatMap((s) => [daprAppToken.secretName(s.name), daprApiToken.secretName(s.name)]),
      ].sort(),
    );
    assert.ok(!secrets.includes("postgres-password"), "the superuser password is not in the secret store");
    assert.deepEqual(
      byKind(manifests, "ClusterIssuer")
        .map((i) => i.metadata.name)
        .sort(),
      ["selfsigned", "selfsigned-bootstrap"],
    );
    assert.equal(get(named(manifests, "Certificate", "tasks-public-tls"), "spec", "issuerRef", "name"), "selfsigned");
  });

  it("runs the local OpenID Provider (restricted, users from its Secret, /idp on the public host) and points every public service at it", () => {
    const domain = String(config["tasks-platform:domain"]);
    const idp = named(manifests, "Deployment", "local-idp");
    assert.equal(idp.metadata.namespace, "tasks-data");
    assert.deepEqual(podProblems("local-idp", get(idp, "spec", "template") as Obj), []);
    const env = Object.fromEntries(
      (get(idp, "spec", "template", "spec", "containers", 0, "env") as { name: string; value: string }[]).map((e) => [e.name, e.value]),
    );
    assert.deepEqual(
      [env.IDP_ISSUER, env.IDP_AUDIENCE, env.IDP_REDIRECT_URIS],
      [`https://${domain}/idp`, "api://tasks-platform", `https://${domain}/`],
    );
    const users = JSON.parse(String(secretStringData(run, "tasks-data", "local-idp-users")["users.json"])) as {
      username: string;
      password: string;
    }[];
    assert.deepEqual(
      users.map((u) => u.username),
      ["dev-user", "alice", "bob", "smoke-test"],
    );
    assert.ok(users.every((u) => u.password.length === 24));
    // /idp on the public Gateway's HTTPS listener (its certificate covers the host), admitted from tasks-data,
    // and Traefik may reach the provider's port (its egress policy, and the data namespace's ingress policy).
    const route = named(manifests, "HTTPRoute", "local-idp");
    assert.equal(route.metadata.namespace, "tasks-data");
    assert.deepEqual(get(route, "spec", "hostnames"), [domain]);
    assert.deepEqual(get(route, "spec", "parentRefs", 0), {
      group: "gateway.networking.k8s.io",
      kind: "Gateway",
      name: "public",
      namespace: "ingress",
      sectionName: "https",
    });
    assert.equal(get(route, "spec", "rules", 0, "matches", 0, "path", "value"), "/idp");
    assert.deepEqual(get(route, "spec", "rules", 0, "backendRefs"), [{ name: "local-idp", port: 8080 }]);
    const https = (get(named(manifests, "Gateway", "public"), "spec", "listeners") as Obj[]).find((l) => l.name === "https")!;
    assert.deepEqual(get(https, "allowedRoutes", "namespaces", "selector", "matchExpressions"), [
      { key: "kubernetes.io/metadata.name", operator: "In", values: ["tasks", "tasks-data"] },
    ]);
    const traefikEgress = get(named(manifests, "NetworkPolicy", "allow-public-traffic"), "spec", "egress") as Obj[];
    assert.ok(
      traefikEgress.some(
        (r) =>
          get(r, "to", 0, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") === "tasks-data" &&
          get(r, "to", 0, "podSelector", "matchLabels", "app.kubernetes.io/name") === "local-idp" &&
          get(r, "ports", 0, "port") === 8080,
      ),
    );
    const idpIngress = get(named(manifests, "NetworkPolicy", "local-idp-ingress"), "spec", "ingress", 0, "from") as Obj[];
    assert.ok(
      idpIngress.some(
        (f) =>
          get(f, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") === "ingress" &&
          get(f, "podSelector", "matchLabels", "app.kubernetes.io/name") === "traefik",
      ),
    );
    for (const d of byKind(manifests, "Deployment").filter((m) => m.metadata.namespace === "tasks")) {
      const e = Object.fromEntries(
        (get(d, "spec", "template", "spec", "containers", 0, "env") as { name: string; value: string }[]).map((x) => [x.name, x.value]),
      );
      const isPublic = allServices.some((svc) => svc.name === d.metadata.name && svc.publicRoutes.length > 0);
      assert.deepEqual(
        [e.JWT_ISSUER, e.JWT_AUDIENCE, e.JWT_JWKS_URL, e.JWT_USER_ID_CLAIM],
        isPublic
          ? [`https://${domain}/idp`, "api://tasks-platform", "http://local-idp.tasks-data.svc.cluster.local:8080/idp/jwks", "sub"]
          : [undefined, undefined, undefined, undefined],
        d.metadata.name,
      );
    }
    // The public services may reach the provider's pods (JWKS), nothing else may.
    const egressTo = (svc: string) =>
      (get(named(manifests, "NetworkPolicy", `${svc}-egress`), "spec", "egress") as Obj[]).some(
        (r) =>
          get(r, "to", 0, "podSelector", "matchLabels", "app.kubernetes.io/name") === "local-idp" && get(r, "ports", 0, "port") === 8080,
      );
    assert.deepEqual([egressTo("tasks-api"), egressTo("realtime"), egressTo("recurrence")], [true, true, false]);
  });

  it("gives every service a database URL of its own role, never the superuser's", () => {
    const superPassword = String(secretStringData(run, "tasks-data", "postgres-superuser").password);
    for (const s of servicesWithDatabase()) {
      const name = secretNames.databaseUrl(s.name);
      const url = new URL(String(secretStringData(run, "tasks", name)[name]));
      assert.deepEqual(
        [url.username, url.pathname, url.host],
        [databaseRole(s.name), `/${s.database}`, "postgres.tasks-data.svc.cluster.local:5432"],
      );
      assert.ok(url.username !== "postgres" && url.password !== superPassword, `${name} logs in as the superuser`);
    }
  });

  it("runs the database-roles Job before every Deployment, restricted, reaching only the Postgres pod", () =>
    checkDatabaseRoles(run, manifests, {
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "tasks-data" } },
      podSelector: { matchLabels: { "app.kubernetes.io/name": "postgres" } },
    }));

  it("protects and retains nothing: local-down keeps the data namespace in the state instead (stacks/src/protection.ts)", () => {
    assert.deepEqual(
      run.resources.filter((r) => r.protect || r.retainOnDelete).map((r) => r.urn),
      [],
    );
  });

  it("renders manifests that pass the Kubernetes, cert-manager, Prometheus operator and Dapr schemas, with no secret values", async () => {
    const { count, problems, secretsLeaked, nameless } = await renderAndValidate(run);
    assert.ok(count > 100, `only ${count} objects rendered`);
    assert.deepEqual(problems, []);
    assert.deepEqual(secretsLeaked, []);
    assert.deepEqual(nameless, []);
  });
});

function get(o: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);
}
