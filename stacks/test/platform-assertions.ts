/**
 * Assertions over the Kubernetes layer of a mocked stack run, shared by the per-stack test files
 * (one stack per file: Pulumi config is process-global). Each check throws with the offending objects.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "yaml";
import {
  allServices,
  allTopics,
  consumerGroupOf,
  daprApiToken,
  daprAppToken,
  daprComponents,
  daprConfigurationFor,
  daprSidecarPorts,
  invocationPaths,
  runsDaprSidecar,
  secretNames,
  serviceAccounts,
  serviceUid,
  servicesWithDatabase,
  topicByName,
  type ServiceSpec,
} from "@tasks/catalog";
import { daprOperations } from "@tasks/infra/dapr/index";
import { databaseRolesCommand, databaseRolesPodLabels } from "@tasks/infra/workload/index";
import { manifestsOf, releasesOf, renderManifests, type Manifest } from "../src/offline/render-manifests.js";
import type { MockedRun, RecordedResource } from "../src/offline/mocked-run.js";
import { allSchemaProblems } from "./platform-schemas.js";

type Obj = Record<string, unknown>;
const get = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export const byKind = (manifests: readonly Manifest[], kind: string, apiVersion?: string): Manifest[] =>
  manifests.filter((m) => m.kind === kind && (apiVersion === undefined || m.apiVersion === apiVersion));

export const named = (manifests: readonly Manifest[], kind: string, name: string): Manifest => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  assert.ok(found, `no ${kind} named ${name}`);
  return found;
};

export function releaseValues(run: MockedRun, chart: string): Obj {
  const release = releasesOf(run.resources).find((r) => r.chart === chart);
  assert.ok(release, `no Helm release of chart ${chart}`);
  return release.values as Obj;
}

/** The CRD step's bundle of `owner` (infra/src/k8s/crds.ts): the file name of its first source. */
export function crdBundle(run: MockedRun, owner: string): string {
  const group = run.resources.find((r) => r.type === "kubernetes:yaml/v2:ConfigGroup" && r.name === `platform-crds-${owner}`);
  assert.ok(group, `no CRD bundle ${owner}`);
  return String((group.inputs.files as string[])[0])
    .split("/")
    .pop()!;
}

/** The Helm releases that wait for the CRD step (depend on every one of its ConfigGroups). */
export function releasesAfterCrds(run: MockedRun): string[] {
  const crdUrns = run.resources.filter((r) => r.type === "kubernetes:yaml/v2:ConfigGroup").map((r) => r.urn);
  assert.ok(crdUrns.length > 0, "no CRD step");
  return run.resources
    .filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && crdUrns.every((u) => r.dependsOn.includes(u)))
    .map((r) => String(r.inputs.chart))
    .sort();
}

/** Pod templates of every Deployment and StatefulSet, with where they came from. */
export function podTemplates(manifests: readonly Manifest[]): { where: string; namespace: string; template: Obj }[] {
  return manifests
    .filter((m) => m.kind === "Deployment" || m.kind === "StatefulSet")
    .map((m) => ({
      where: `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`,
      namespace: String(m.metadata.namespace),
      template: get(m, "spec", "template") as Obj,
    }));
}

const restrictedVolumeTypes = new Set([
  "name",
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/** Pod Security Standards "restricted", probes, requests and limits: the problems of one pod template. */
export function podProblems(where: string, template: Obj): string[] {
  const problems: string[] = [];
  const spec = template.spec as Obj;
  const podSc = (spec.securityContext ?? {}) as Obj;
  for (const flag of ["hostNetwork", "hostPID", "hostIPC"]) if (spec[flag]) problems.push(`${where}: ${flag}`);
  for (const v of arr(spec.volumes) as Obj[]) {
    for (const key of Object.keys(v))
      if (!restrictedVolumeTypes.has(key)) problems.push(`${where}: volume ${String(v.name)} of type ${key}`);
  }
  for (const c of [...arr(spec.initContainers), ...arr(spec.containers)] as Obj[]) {
    const at = `${where} container ${String(c.name)}`;
    const sc = (c.securityContext ?? {}) as Obj;
    if (sc.runAsNonRoot !== true && podSc.runAsNonRoot !== true) problems.push(`${at}: runAsNonRoot not set`);
    if (sc.runAsUser === 0 || podSc.runAsUser === 0) problems.push(`${at}: runs as uid 0`);
    if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: readOnlyRootFilesystem not set`);
    if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: allowPrivilegeEscalation not false`);
    if (sc.privileged) problems.push(`${at}: privileged`);
    if (JSON.stringify(get(sc, "capabilities", "drop")) !== '["ALL"]') problems.push(`${at}: capabilities do not drop ALL`);
    if (arr(get(sc, "capabilities", "add")).length) problems.push(`${at}: adds capabilities`);
    const seccomp = get(sc, "seccompProfile", "type") ?? get(podSc, "seccompProfile", "type");
    if (seccomp !== "RuntimeDefault") problems.push(`${at}: seccomp profile is ${String(seccomp)}`);
    for (const p of arr(c.ports) as Obj[]) if (p.hostPort) problems.push(`${at}: hostPort ${String(p.hostPort)}`);
    for (const probe of ["livenessProbe", "readinessProbe"]) if (!c[probe]) problems.push(`${at}: no ${probe}`);
    for (const kind of ["requests", "limits"])
      for (const r of ["cpu", "memory"]) if (!get(c, "resources", kind, r)) problems.push(`${at}: no ${r} ${kind.slice(0, -1)}`);
    for (const e of arr(c.env) as Obj[])
      if (get(e, "valueFrom", "secretKeyRef")) problems.push(`${at}: env ${String(e.name)} comes from a Secret`);
    for (const e of arr(c.envFrom) as Obj[]) if (e.secretRef) problems.push(`${at}: envFrom a Secret`);
  }
  return problems;
}

export interface StackExpectations {
  readonly kind: "aks" | "minikube";
  readonly highAvailability: boolean;
  /** Namespaces that run workloads. */
  readonly workloadNamespaces: readonly string[];
}

/** Each catalog service's Deployment, with the checks that tie it to its catalog entry. */
export function checkWorkloads(run: MockedRun, manifests: readonly Manifest[], exp: StackExpectations): void {
  // The services' namespace holds exactly the catalog's Deployments (the local stack's OpenID Provider is in the data namespace).
  const deployments = byKind(manifests, "Deployment").filter((d) => d.metadata.namespace === serviceAccounts.namespace);
  assert.deepEqual(deployments.map((d) => d.metadata.name).sort(), allServices.map((s) => s.name).sort());
  for (const s of allServices) {
    const d = named(manifests, "Deployment", s.name);
    assert.equal(d.metadata.namespace, serviceAccounts.namespace);
    assert.equal(get(d, "spec", "replicas"), undefined, `${s.name}: replicas belong to the HPA`);
    assert.deepEqual(get(d, "spec", "strategy", "rollingUpdate"), { maxUnavailable: 0, maxSurge: 1 });
    const tpl = get(d, "spec", "template") as Obj;
    const ann = (get(tpl, "metadata", "annotations") ?? {}) as Obj;
    const c = arr(get(tpl, "spec", "containers"))[0] as Obj;
    if (runsDaprSidecar(s)) checkSidecar(run, s, tpl, ann, c);
    else {
      // No building block, no sidecar (web): no dapr.io annotations, no token volumes, no token Secrets, no Configuration.
      assert.deepEqual(
        Object.keys(ann).filter((k) => k.startsWith("dapr.io/")),
        [],
        `${s.name}: runs no Dapr sidecar`,
      );
      assert.deepEqual(get(c, "volumeMounts"), [{ name: "tmp", mountPath: "/tmp" }]);
      assert.deepEqual(
        (arr(get(tpl, "spec", "volumes")) as Obj[]).map((v) => v.name),
        ["tmp"],
      );
      for (const token of [daprAppToken, daprApiToken])
        assert.equal(
          run.resources.find(
            (r) => r.type === "kubernetes:core/v1:Secret" && get(r.inputs, "metadata", "name") === token.secretName(s.name),
          ),
          undefined,
          `${s.name}: no ${token.secretName(s.name)} Secret`,
        );
      assert.equal(
        manifests.find((m) => m.kind === "Configuration" && m.metadata.name === daprConfigurationFor(s.name)),
        undefined,
        `${s.name}: no Dapr Configuration`,
      );
    }
    assert.equal(get(c, "livenessProbe", "httpGet", "path"), "/healthz");
    assert.equal(get(c, "readinessProbe", "httpGet", "path"), "/readyz");
    assert.equal(get(c, "startupProbe", "httpGet", "path"), "/healthz");
    assert.deepEqual(get(c, "resources"), {
      requests: { cpu: s.resources.cpuRequest, memory: s.resources.memoryRequest },
      limits: { cpu: s.resources.cpuLimit, memory: s.resources.memoryLimit },
    });
    const image = String(c.image);
    assert.match(image, new RegExp(`/${s.name}:src-[0-9a-f]{20}(@sha256:[0-9a-f]{64})?$`), `${s.name}: image ${image} has no content tag`);
    assert.doesNotMatch(image, /:latest\b/);
    if (exp.kind === "aks") assert.match(image, /@sha256:[0-9a-f]{64}$/, `${s.name}: AKS runs the pushed digest`);
    const zones = (arr(get(tpl, "spec", "topologySpreadConstraints")) as Obj[]).find(
      (t) => t.topologyKey === "topology.kubernetes.io/zone",
    );
    assert.equal(zones?.whenUnsatisfiable, exp.highAvailability ? "DoNotSchedule" : "ScheduleAnyway");
    const sa = named(manifests, "ServiceAccount", serviceAccounts.nameOf(s.name));
    assert.equal(get(tpl, "spec", "serviceAccountName"), sa.metadata.name);
    const mounts = get(tpl, "spec", "automountServiceAccountToken");
    if (exp.kind === "aks") {
      assert.ok(
        get(sa, "metadata", "annotations", "azure.workload.identity/client-id"),
        `${s.name}: service account without a workload identity`,
      );
      assert.equal(get(tpl, "metadata", "labels", "azure.workload.identity/use"), "true");
      assert.equal(mounts, false);
    } else {
      // Only sidecars that read Kubernetes secrets get a token, and a Role limited to the catalog's secrets.
      assert.equal(mounts, s.dapr.includes("secrets"), `${s.name}: automountServiceAccountToken`);
      assert.equal(
        Boolean(get(tpl, "metadata", "annotations", "policy.tasks-platform.dev/service-account-token")),
        s.dapr.includes("secrets"),
        `${s.name}: token reason annotation`,
      );
      if (s.dapr.includes("secrets"))
        assert.ok(
          arr(get(named(manifests, "Role", `${s.name}-secret-reader`), "rules", 0, "resourceNames")).includes(secretNames.smtpPassword) &&
            !arr(get(named(manifests, "Role", `${s.name}-secret-reader`), "rules", 0, "resourceNames")).some((n) =>
              /-dapr-(app|api)-token$/.test(String(n)),
            ),
          `${s.name}: the sidecar's secret store reads the catalog's secrets, no app token`,
        );
    }
    const group = consumerGroupOf(s);
    if (group) {
      // An event consumer in a shared group scales on that group's lag at the broker (KEDA), plus CPU; no HPA of ours.
      const so = named(manifests, "ScaledObject", s.name);
      assert.equal(
        manifests.find((m) => m.kind === "HorizontalPodAutoscaler" && m.metadata.name === s.name),
        undefined,
      );
      assert.deepEqual(
        [get(so, "spec", "minReplicaCount"), get(so, "spec", "maxReplicaCount"), get(so, "spec", "scaleTargetRef", "name")],
        [s.scaling.min, s.scaling.max, s.name],
      );
      const triggers = arr(get(so, "spec", "triggers")) as Obj[];
      assert.deepEqual(
        triggers.filter((t) => t.type === "kafka").map((t) => [get(t, "metadata", "topic"), get(t, "metadata", "consumerGroup")]),
        s.subscribes.map((x) => [x.topic, group]),
      );
      for (const t of triggers.filter((x) => x.type === "kafka")) {
        if (exp.kind === "aks") {
          assert.deepEqual([get(t, "metadata", "sasl"), get(t, "metadata", "tls")], ["plaintext", "enable"]);
          assert.equal(get(t, "authenticationRef", "name"), "kafka-broker");
        } else assert.equal(get(t, "authenticationRef"), undefined);
      }
      assert.ok(triggers.some((t) => t.type === "cpu" && get(t, "metadata", "value") === String(s.scaling.targetCpuPercent)));
    } else {
      const hpa = named(manifests, "HorizontalPodAutoscaler", s.name);
      assert.equal(get(hpa, "spec", "minReplicas"), s.scaling.min);
      assert.equal(get(hpa, "spec", "maxReplicas"), s.scaling.max);
      assert.equal(get(hpa, "spec", "scaleTargetRef", "name"), s.name);
    }
    assert.ok(named(manifests, "PodDisruptionBudget", s.name));
    assert.equal(get(named(manifests, "Service", s.name), "spec", "ports", 0, "port"), s.port);
  }
}

/** The Dapr sidecar of a service that uses Dapr: annotations from the catalog, and both tokens as read-only volumes. */
function checkSidecar(run: MockedRun, s: ServiceSpec, tpl: Obj, ann: Obj, c: Obj): void {
  assert.equal(ann["dapr.io/enabled"], "true");
  assert.equal(ann["dapr.io/app-id"], s.name);
  assert.equal(ann["dapr.io/app-port"], String(s.port));
  assert.equal(ann["dapr.io/config"], daprConfigurationFor(s.name));
  assert.equal(ann["dapr.io/enable-metrics"], "true");
  assert.equal(ann["dapr.io/metrics-port"], String(daprSidecarPorts.metrics));
  assert.ok(ann["dapr.io/log-level"]);
  assert.deepEqual(get(c, "volumeMounts"), [
    { name: "tmp", mountPath: "/tmp" },
    { name: "dapr-app-token", mountPath: daprAppToken.mountDir, readOnly: true },
    { name: "dapr-api-token", mountPath: daprApiToken.mountDir, readOnly: true },
  ]);
  // Dapr's app token and API token: the sidecar gets each Secret through its annotation, the app reads
  // them from read-only volumes (never env), and the sidecar's secret-store Role cannot read them.
  for (const [volume, token] of [
    ["dapr-app-token", daprAppToken],
    ["dapr-api-token", daprApiToken],
  ] as const) {
    const tokenSecret = token.secretName(s.name);
    assert.equal(ann[token.annotation], tokenSecret);
    assert.deepEqual(
      (arr(get(tpl, "spec", "volumes")) as Obj[]).find((v) => v.name === volume),
      { name: volume, secret: { secretName: tokenSecret, items: [{ key: "token", path: "token" }], defaultMode: 0o440 } },
    );
    assert.deepEqual(Object.keys(secretStringData(run, serviceAccounts.namespace, tokenSecret)), [token.secretKey]);
    assert.ok(!JSON.stringify(get(c, "env")).includes(tokenSecret), `${s.name}: ${volume} is not in the app's environment`);
  }
}

/**
 * The environment the notifications Deployment sets, for stack-specific checks. That it satisfies the
 * service's own env schema is checked above the layers that own each side (tools/plan/test/app-environment.test.ts).
 */
export function notificationsEnvironment(manifests: readonly Manifest[]): Record<string, string> {
  const container = get(named(manifests, "Deployment", "notifications"), "spec", "template", "spec", "containers", 0) as Obj;
  return Object.fromEntries((arr(container.env) as Obj[]).map((e) => [String(e.name), String(e.value)]));
}

/** Default deny in every namespace that runs workloads, and the catalog's paths opened explicitly. */
const baseChartNamespaces = ["cert-manager", "ingress", "monitoring", "dapr-system"];

export function checkNetworkPolicies(run: MockedRun, manifests: readonly Manifest[], exp: StackExpectations): void {
  // KEDA's chart on minikube (AKS runs the add-on in kube-system); monitoring holds the lag exporter and trace collector too.
  // Chaos Mesh where the stack opts into game days (dev).
  const chaos = releasesOf(run.resources).some((r) => r.chart === "chaos-mesh");
  const chartNamespaces = [...baseChartNamespaces, ...(exp.kind === "minikube" ? ["keda"] : []), ...(chaos ? ["chaos-mesh"] : [])];
  assert.deepEqual(
    releasesOf(run.resources)
      .map((r) => `${String(r.namespace)} ${String(r.chart)}`)
      .sort(),
    [
      "cert-manager cert-manager",
      "dapr-system dapr",
      "ingress traefik",
      "monitoring kube-prometheus-stack",
      "monitoring opentelemetry-collector",
      "monitoring prometheus-kafka-exporter",
      ...(exp.kind === "minikube" ? ["keda keda"] : []),
      ...(chaos ? ["chaos-mesh chaos-mesh"] : []),
    ].sort(),
  );
  const policies = byKind(manifests, "NetworkPolicy");
  const runningWorkloads = new Set(podTemplates(manifests).map((p) => p.namespace));
  assert.deepEqual([...runningWorkloads].sort(), [...exp.workloadNamespaces].sort());
  // The Helm charts' namespaces run pods too.
  for (const ns of chartNamespaces) runningWorkloads.add(ns);
  for (const ns of runningWorkloads) {
    const deny = policies.find((p) => p.metadata.namespace === ns && p.metadata.name === "default-deny");
    assert.ok(deny, `namespace ${ns} runs workloads but has no default-deny policy`);
    assert.deepEqual(get(deny, "spec"), { podSelector: {}, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] });
  }
  // No rule may have an empty peer list ("from/to anywhere"), nor any address on every port.
  for (const p of policies) {
    const rules = [
      ...(arr(get(p, "spec", "ingress")) as Obj[]).map((r) => ({ peers: arr(r.from), ports: arr(r.ports) })),
      ...(arr(get(p, "spec", "egress")) as Obj[]).map((r) => ({ peers: arr(r.to), ports: arr(r.ports) })),
    ];
    for (const r of rules) {
      assert.ok(r.peers.length > 0, `${p.metadata.namespace}/${p.metadata.name}: rule open to all`);
      const anyAddress = r.peers.some(
        (x) =>
          get(x, "ipBlock", "cidr") === "0.0.0.0/0" ||
          (get(x, "namespaceSelector") !== undefined &&
            Object.keys(get(x, "namespaceSelector") as Obj).length === 0 &&
            get(x, "podSelector") === undefined),
      );
      assert.ok(!anyAddress || r.ports.length > 0, `${p.metadata.namespace}/${p.metadata.name}: any address on every port`);
    }
  }
  const ns = serviceAccounts.namespace;
  // Sidecar-to-sidecar invocation (port 50002) is open exactly along the catalog's invocation paths.
  const allowed = policies
    .filter((p) => p.metadata.namespace === ns && String(p.metadata.name).endsWith("-ingress"))
    .flatMap((p) =>
      (arr(get(p, "spec", "ingress")) as Obj[])
        .filter((r) => (arr(r.ports) as Obj[]).some((x) => x.port === daprSidecarPorts.internalGrpc))
        .flatMap((r) =>
          (arr(r.from) as Obj[]).map(
            (f) =>
              `${String(get(f, "podSelector", "matchLabels", "app.kubernetes.io/name"))}->${String(get(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name"))}`,
          ),
        ),
    );
  assert.deepEqual(allowed.sort(), [...new Set(invocationPaths().map((i) => `${i.caller}->${i.target}`))].sort());
  // Public services, and only those, accept the ingress controller.
  for (const s of allServices) {
    const ingress = arr(get(named(policies, "NetworkPolicy", `${s.name}-ingress`), "spec", "ingress")) as Obj[];
    const fromController = ingress.some((r) =>
      (arr(r.from) as Obj[]).some((f) => get(f, "namespaceSelector", "matchLabels", "kubernetes.io/metadata.name") === "ingress"),
    );
    assert.equal(fromController, s.publicRoutes.length > 0, `${s.name}: ingress controller access`);
    const egress = arr(get(named(policies, "NetworkPolicy", `${s.name}-egress`), "spec", "egress")) as Obj[];
    const ports = new Set(egress.flatMap((r) => (arr(r.ports) as Obj[]).map((x) => x.port)));
    if (s.egress.includes("postgres")) assert.ok(ports.has(5432), `${s.name}: no egress to Postgres`);
    else assert.ok(!ports.has(5432), `${s.name}: egress to Postgres it does not use`);
    if (s.egress.includes("broker")) assert.ok(ports.has(exp.kind === "aks" ? 9093 : 9092), `${s.name}: no egress to the broker`);
  }
}

/** Dapr resources: scoped components without plaintext secrets, subscriptions with dead-letter topics, access control, resiliency. */
export function checkDapr(run: MockedRun, manifests: readonly Manifest[], exp: StackExpectations): void {
  const components = byKind(manifests, "Component", "dapr.io/v1alpha1");
  for (const c of components) {
    assert.ok(arr(c.scopes).length > 0, `component ${c.metadata.name} is not scoped`);
    for (const item of arr(get(c, "spec", "metadata")) as Obj[]) {
      if (
        /pass(word)?|secret|token|connectionstring|key$/i.test(String(item.name)) &&
        !/^(vaultName|secretsFile)$/.test(String(item.name))
      ) {
        assert.equal(item.value, undefined, `component ${c.metadata.name}: ${String(item.name)} holds a plaintext value`);
        assert.ok(item.secretKeyRef, `component ${c.metadata.name}: ${String(item.name)} has no secretKeyRef`);
      }
    }
  }
  const meta = (c: Manifest) =>
    Object.fromEntries((arr(get(c, "spec", "metadata")) as Obj[]).map((i) => [i.name, i.value ?? i.secretKeyRef]));
  const pubsub = named(components, "Component", daprComponents.pubsub);
  assert.equal(get(pubsub, "spec", "type"), "pubsub.kafka");
  const fanOut = (s: ServiceSpec) => s.eventDelivery === "fan-out";
  assert.deepEqual(
    arr(pubsub.scopes),
    allServices
      .filter((s) => s.dapr.includes("pubsub") && !fanOut(s))
      .map((s) => s.name)
      .sort(),
  );
  // Fan-out apps (realtime) consume through their own component, one Kafka consumer group per pod.
  const broadcast = named(components, "Component", daprComponents.pubsubBroadcast);
  assert.equal(get(broadcast, "spec", "type"), "pubsub.kafka");
  assert.deepEqual(
    arr(broadcast.scopes),
    allServices
      .filter(fanOut)
      .map((s) => s.name)
      .sort(),
  );
  assert.equal(meta(broadcast).consumerGroup, "{appID}-{podName}");
  assert.equal(meta(broadcast).brokers, meta(pubsub).brokers);
  assert.equal(
    components.some((c) => String(get(c, "spec", "type")).startsWith("bindings.smtp")),
    false,
    "email goes over SMTP from notifications, not through a Dapr binding",
  );
  const pm = meta(pubsub);
  if (exp.kind === "aks") {
    assert.match(String(pm.brokers), /^[a-z0-9-]+\.servicebus\.windows\.net:9093$/);
    assert.equal(pm.authType, "password");
    assert.equal(pm.saslUsername, "$ConnectionString");
    assert.deepEqual(pm.saslPassword, { name: secretNames.eventHubsConnectionString, key: secretNames.eventHubsConnectionString });
    assert.equal(pm.version, "1.0.0");
    assert.deepEqual(pubsub.auth, { secretStore: daprComponents.secretStore });
    assert.equal(get(named(components, "Component", daprComponents.secretStore), "spec", "type"), "secretstores.azure.keyvault");
  } else {
    assert.equal(pm.authType, "none");
    assert.match(String(pm.brokers), /^redpanda-0\.redpanda\.tasks-data\.svc\.cluster\.local:9092$/);
    assert.equal(get(named(components, "Component", daprComponents.secretStore), "spec", "type"), "secretstores.kubernetes");
  }
  const cron = allServices.filter((s) => s.cron);
  for (const s of cron) assert.deepEqual(arr(named(components, "Component", s.cron!.binding).scopes), [s.name]);

  const subs = byKind(manifests, "Subscription", "dapr.io/v2alpha1");
  const expected = allServices.flatMap((s) => s.subscribes.map((x) => `${s.name} ${x.topic} ${x.route}`)).sort();
  assert.deepEqual(
    subs.map((x) => `${arr(x.scopes).join(",")} ${String(get(x, "spec", "topic"))} ${String(get(x, "spec", "routes", "default"))}`).sort(),
    expected,
  );
  for (const x of subs) {
    const app = allServices.find((s) => s.name === arr(x.scopes)[0])!;
    assert.equal(
      get(x, "spec", "pubsubname"),
      fanOut(app) ? daprComponents.pubsubBroadcast : daprComponents.pubsub,
      `subscription ${x.metadata.name}`,
    );
  }
  const dlqs = new Set(allTopics.map((t) => t.deadLetterTopic));
  for (const x of subs) {
    const dlq = String(get(x, "spec", "deadLetterTopic"));
    assert.ok(dlqs.has(dlq), `subscription ${x.metadata.name}: dead-letter topic "${dlq}" is not a catalog topic`);
    assert.equal(dlq, topicByName(String(get(x, "spec", "topic"))).deadLetterTopic);
  }

  // Access control: per callee, deny by default and allow exactly the catalog's invocation paths.
  const grants: string[] = [];
  for (const conf of byKind(manifests, "Configuration", "dapr.io/v1alpha1")) {
    const ac = get(conf, "spec", "accessControl") as Obj;
    assert.equal(ac.defaultAction, "deny", `${conf.metadata.name}: access control does not deny by default`);
    assert.equal(get(conf, "spec", "mtls", "enabled"), true);
    assert.equal(get(conf, "spec", "metrics", "enabled"), true);
    const callee = String(conf.metadata.name).replace(daprConfigurationFor(""), "");
    for (const p of arr(ac.policies) as Obj[]) {
      assert.equal(p.defaultAction, "deny");
      for (const op of arr(p.operations) as Obj[]) {
        assert.equal(op.action, "allow");
        for (const verb of arr(op.httpVerb)) grants.push(`${String(p.appId)}->${callee} ${String(verb)} ${String(op.name)}`);
      }
    }
  }
  // Each catalog invocation, merged per path as daprd's access-control trie needs (infra daprOperations).
  const pairs = [...new Set(invocationPaths().map((i) => `${i.caller}->${i.target}`))];
  const expectedGrants = pairs.flatMap((pair) =>
    daprOperations(invocationPaths().filter((i) => `${i.caller}->${i.target}` === pair)).flatMap((o) =>
      o.httpVerb.map((verb) => `${pair} ${verb} ${o.name}`),
    ),
  );
  for (const i of invocationPaths())
    assert.ok(
      grants.some((g) => grantCovers(g, `${i.caller}->${i.target} ${i.method}`, i.path)),
      `${i.caller} may ${i.method} ${i.path}`,
    );
  assert.deepEqual(grants.sort(), expectedGrants.sort());

  const res = byKind(manifests, "Resiliency", "dapr.io/v1alpha1");
  assert.equal(res.length, 1);
  for (const [name, r] of Object.entries(get(res[0], "spec", "policies", "retries") as Obj)) {
    assert.equal((r as Obj).policy, "exponential", `retry ${name}`);
    assert.ok(Number((r as Obj).maxRetries) >= 1 && Number((r as Obj).maxRetries) <= 10, `retry ${name}: maxRetries must be capped`);
    assert.ok((r as Obj).maxInterval, `retry ${name}: no maxInterval`);
  }
  for (const callee of new Set(invocationPaths().map((i) => i.target))) {
    const target = get(res[0], "spec", "targets", "apps", callee) as Obj;
    assert.ok(
      target.circuitBreaker && get(res[0], "spec", "policies", "circuitBreakers", String(target.circuitBreaker)),
      `no circuit breaker on invocation of ${callee}`,
    );
  }
  for (const c of [daprComponents.pubsub, daprComponents.pubsubBroadcast]) {
    assert.ok(get(res[0], "spec", "targets", "components", c, "inbound", "retry"), `no inbound retry on ${c}`);
  }

  const dapr = releaseValues(run, "dapr");
  assert.equal(get(dapr, "global", "mtls", "enabled"), true);
  assert.equal(get(dapr, "global", "scheduler", "enabled"), true);
  assert.equal(get(dapr, "global", "ha", "enabled"), exp.highAvailability);
}

export function checkMonitoringAndIngress(run: MockedRun, manifests: readonly Manifest[], host: string): void {
  assert.deepEqual(
    byKind(manifests, "ServiceMonitor")
      .map((m) => m.metadata.name)
      .sort(),
    allServices.map((s) => s.name).sort(),
  );
  assert.deepEqual(
    byKind(manifests, "PodMonitor")
      .map((m) => m.metadata.name)
      .sort(),
    ["dapr-control-plane", "dapr-sidecars"],
  );
  const rules = arr(get(byKind(manifests, "PrometheusRule")[0], "spec", "groups", 0, "rules")).map((r) => (r as Obj).alert);
  for (const a of ["TasksHighErrorRate", "TasksHighLatencyP95", "TasksConsumerLagHigh", "TasksDeadLetterDepthGrowing", "TasksReminderLate"])
    assert.ok(rules.includes(a), `no alert ${a}`);
  const dashboards = byKind(manifests, "ConfigMap").filter((m) => get(m, "metadata", "labels", "grafana_dashboard") === "1");
  assert.equal(dashboards.length, 4);
  const kps = releaseValues(run, "kube-prometheus-stack");
  assert.equal(get(kps, "prometheus", "prometheusSpec", "serviceMonitorSelectorNilUsesHelmValues"), false);
  assert.equal(get(kps, "grafana", "sidecar", "dashboards", "label"), "grafana_dashboard");

  // The public entry is Gateway API objects: no Ingress, one Gateway, an HTTPRoute per public service on HTTPS.
  assert.deepEqual(byKind(manifests, "Ingress"), []);
  const gateways = byKind(manifests, "Gateway", "gateway.networking.k8s.io/v1");
  assert.deepEqual(
    gateways.map((g) => `${g.metadata.namespace}/${g.metadata.name}`),
    ["ingress/public"],
  );
  const https = (arr(get(gateways[0], "spec", "listeners")) as Obj[]).find((l) => l.name === "https")!;
  assert.equal(https.hostname, host);
  assert.deepEqual(get(https, "tls", "certificateRefs"), [{ kind: "Secret", group: "", name: "tasks-public-tls" }]);
  const routes = byKind(manifests, "HTTPRoute", "gateway.networking.k8s.io/v1").filter((r) => r.metadata.namespace === "tasks");
  const publicServices: ServiceSpec[] = allServices.filter((s) => s.publicRoutes.length > 0);
  assert.deepEqual(routes.map((r) => r.metadata.name).sort(), publicServices.map((s) => s.name).sort());
  for (const s of publicServices) {
    const route = named(routes, "HTTPRoute", s.name);
    assert.deepEqual(get(route, "spec", "hostnames"), [host]);
    assert.deepEqual(
      (arr(get(route, "spec", "parentRefs")) as Obj[]).map((p) => p.sectionName),
      ["https"],
    );
    assert.deepEqual(
      (arr(get(route, "spec", "rules", 0, "matches")) as Obj[]).map((m) => get(m, "path", "value")),
      [...s.publicRoutes.map((r) => r.path), ...(s.name === "tasks-api" ? [s.openapiPath] : [])],
    );
    assert.equal(get(route, "spec", "rules", 0, "filters", 0, "responseHeaderModifier", "set", 0, "name"), "Strict-Transport-Security");
    // Rate limited at the ingress: bearer requests per token and per address, the others per address.
    const limits = (i: number) =>
      (arr(get(route, "spec", "rules", i, "filters")) as Obj[]).map((f) => get(f, "extensionRef", "name")).slice(1);
    assert.deepEqual([limits(0), limits(1)], [["rate-limit-per-address", "rate-limit-per-token"], ["rate-limit-per-address"]]);
  }
  // The Middlewares those filters name, in the routes' namespace, at the stack's limits (config or defaults).
  const middlewares = byKind(manifests, "Middleware", "traefik.io/v1alpha1").filter((m) => m.metadata.namespace === "tasks");
  assert.deepEqual(
    middlewares.map((m) => [m.metadata.name, get(m, "spec", "rateLimit", "period"), get(m, "spec", "rateLimit", "sourceCriterion")]),
    [
      ["rate-limit-per-token", "1m", { requestHeaderName: "Authorization" }],
      ["rate-limit-per-address", "1m", { ipStrategy: {} }],
    ],
  );
  // Traefik resolves the ExtensionRef filters through its CRD provider, which reads the routes' namespace.
  assert.ok(arr(get(releaseValues(run, "traefik"), "providers", "kubernetesCRD", "namespaces")).includes("tasks"));
  assert.deepEqual(get(named(manifests, "HTTPRoute", "https-redirect"), "spec", "rules", 0, "filters", 0, "requestRedirect"), {
    scheme: "https",
    statusCode: 301,
  });
  const cert = named(manifests, "Certificate", "tasks-public-tls");
  assert.equal(cert.metadata.namespace, "ingress");
  assert.deepEqual(get(cert, "spec", "dnsNames"), [host]);
  const traefik = releaseValues(run, "traefik");
  assert.deepEqual(get(traefik, "providers", "kubernetesIngress"), { enabled: false });
  assert.equal(get(traefik, "api", "dashboard"), false);
}

/** Every Kubernetes resource is created through the stack's own provider, not an ambient kubeconfig. */
export function checkProviders(run: MockedRun, providerName?: string): void {
  const k8s = run.resources.filter((r: RecordedResource) => r.custom && r.type.startsWith("kubernetes:"));
  assert.ok(k8s.length > 0);
  const ok = (p: string | undefined) =>
    providerName
      ? p?.includes(`pulumi:providers:kubernetes::${providerName}::`)
      : p?.includes("pulumi:providers:kubernetes::") && !p.includes("::default");
  const strays = k8s.filter((r) => !ok(r.provider)).map((r) => `${r.type} ${r.name}: ${r.provider ?? "default provider"}`);
  assert.deepEqual(strays, []);
}

/** Renders the run's objects, reads the files back and validates each against its schema. */
export async function renderAndValidate(
  run: MockedRun,
): Promise<{ count: number; problems: string[]; secretsLeaked: string[]; nameless: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), `render-${run.stack}-`));
  try {
    const count = await renderManifests(run.resources, dir);
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml") && f !== "helm-releases.yaml");
    const manifests = files.map((f) => parse(readFileSync(path.join(dir, f), "utf8")) as Manifest);
    assert.equal(manifests.length, count);
    assert.equal(count, manifestsOf(run.resources).length);
    const text = files.map((f) => readFileSync(path.join(dir, f), "utf8")).join("\n");
    const secretValues = Object.values(run.outputs).flatMap((v) =>
      v && typeof v === "object" && (v as Obj).secret === true ? [String((v as Obj).value)] : [],
    );
    return {
      count,
      problems: await allSchemaProblems(manifests),
      secretsLeaked: secretValues.filter((s) => s.length > 8 && text.includes(s)),
      // The API server refuses an object with neither (the provider auto-names; so must the render).
      nameless: manifests.filter((m) => !m.metadata.name && !m.metadata.generateName).map((m) => `${m.kind} ${m.metadata.namespace ?? ""}`),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The database-roles Job: a restricted pod without sidecar or API token, its Secret (admin URL and one
 * password per service role) mounted read-only as files, ahead of every Deployment, and egress to
 * `postgresPeer` on 5432 only (plus the namespace-wide DNS policy).
 */
export function checkDatabaseRoles(run: MockedRun, manifests: readonly Manifest[], postgresPeer: Obj): void {
  const ns = serviceAccounts.namespace;
  const jobs = byKind(manifests, "Job");
  assert.equal(jobs.length, 1, "one database-roles Job");
  const job = jobs[0]!;
  assert.equal(job.metadata.namespace, ns);
  // Left unnamed on purpose (a replacement gets a new name, created before the old Job is deleted): the
  // render names it as the provider would, <logical name>-<8 hex>, annotated pulumi.com/autonamed.
  const jobResource = run.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!;
  assert.equal(get(jobResource.inputs, "metadata", "name"), undefined, "the program leaves the Job's name to Pulumi");
  assert.match(String(job.metadata.name), new RegExp(`^${jobResource.name}-[0-9a-f]{8}$`));
  assert.equal(get(job, "metadata", "annotations", "pulumi.com/autonamed"), "true");
  const spec = get(job, "spec") as Obj;
  assert.ok(typeof spec.backoffLimit === "number" && spec.backoffLimit > 0, "backoffLimit");
  // A TTL would delete the Job behind Pulumi's back: false drift every night and a re-run on every up.
  assert.equal(spec.ttlSecondsAfterFinished, undefined, "ttlSecondsAfterFinished");
  const template = get(spec, "template") as Obj;
  // Probes do not apply to a run-to-completion pod; everything else of the restricted profile does.
  assert.deepEqual(
    podProblems("database-roles Job", template).filter((p) => !/no (liveness|readiness)Probe/.test(p)),
    [],
  );
  assert.deepEqual(get(template, "metadata", "labels"), { ...databaseRolesPodLabels });
  assert.equal(get(template, "metadata", "annotations", "dapr.io/enabled"), "false");
  assert.match(String(get(template, "metadata", "annotations", "tasks-platform.dev/secret-sha256")), /^[0-9a-f]{64}$/);
  const pod = get(template, "spec") as Obj;
  assert.equal(pod.automountServiceAccountToken, false);
  assert.equal(pod.restartPolicy, "Never");
  assert.deepEqual(
    [
      get(pod, "securityContext", "runAsUser"),
      get(pod, "securityContext", "runAsNonRoot"),
      get(pod, "securityContext", "seccompProfile", "type"),
    ],
    [serviceUid, true, "RuntimeDefault"],
  );
  const c = get(pod, "containers", 0) as Obj;
  assert.deepEqual(c.command, [...databaseRolesCommand]);
  assert.equal(
    c.image,
    get(named(manifests, "Deployment", "tasks-api"), "spec", "template", "spec", "containers", 0, "image"),
    "the Job runs the tasks-api image",
  );
  assert.deepEqual(
    (arr(c.env) as Obj[]).map((e) => [e.name, e.value]),
    [
      ["DB_ROLES_DIR", "/run/secrets/db-roles"],
      ["NODE_ENV", "production"],
    ],
  );
  assert.deepEqual(get(c, "volumeMounts", 0), { name: "db-roles", mountPath: "/run/secrets/db-roles", readOnly: true });
  assert.deepEqual(get(pod, "volumes", 0), { name: "db-roles", secret: { secretName: "database-roles", defaultMode: 0o440 } });
  assert.deepEqual(
    Object.keys(secretStringData(run, ns, "database-roles")).sort(),
    ["admin-url", ...servicesWithDatabase().map((s) => `${s.name}-password`)].sort(),
  );

  // Every Deployment waits for the Job (the provider waits for it to complete).
  const jobUrn = run.resources.find((r) => r.type === "kubernetes:batch/v1:Job")!.urn;
  const deployments = run.resources.filter(
    (r) => r.type === "kubernetes:apps/v1:Deployment" && get(r.inputs, "metadata", "namespace") === ns,
  );
  assert.equal(deployments.length, allServices.length);
  for (const d of deployments) assert.ok(d.dependsOn.includes(jobUrn), `${d.name} does not depend on the database-roles Job`);

  // Its egress: Postgres on 5432, nothing else; the other policies selecting it are the namespace-wide ones.
  const policies = byKind(manifests, "NetworkPolicy").filter((p) => p.metadata.namespace === ns);
  assert.deepEqual(get(named(policies, "NetworkPolicy", "database-roles-egress"), "spec"), {
    podSelector: { matchLabels: { ...databaseRolesPodLabels } },
    policyTypes: ["Egress"],
    egress: [{ to: [postgresPeer], ports: [{ protocol: "TCP", port: 5432 }] }],
  });
  const selecting = policies.filter((p) => {
    const match = (get(p, "spec", "podSelector", "matchLabels") ?? {}) as Obj;
    return Object.entries(match).every(([k, v]) => databaseRolesPodLabels[k] === v);
  });
  assert.deepEqual(selecting.map((p) => p.metadata.name).sort(), ["allow-dns", "database-roles-egress", "default-deny"]);
}

/** The stringData of a Kubernetes Secret the run created, unwrapped from Pulumi's secret envelope (the mocks wrap all of it). */
export function secretStringData(run: MockedRun, namespace: string, name: string): Obj {
  const r = run.resources.find(
    (x) =>
      x.type === "kubernetes:core/v1:Secret" &&
      get(x.inputs, "metadata", "namespace") === namespace &&
      get(x.inputs, "metadata", "name") === name,
  );
  assert.ok(r, `no Secret ${namespace}/${name}`);
  const v = get(r.inputs, "stringData");
  const inner = get(v, "4dabf18193072939515e22adb298388d") === "1b47061264138c4ac30d75fd1eb44270" ? get(v, "value") : v;
  return (typeof inner === "string" ? JSON.parse(inner) : inner) as Obj;
}

/**
 * Whether a granted operation ("caller->callee VERB path") lets the call through as daprd's access-control trie
 * matches: a literal path also answers for the paths below it, `*` matches one segment, a trailing `**` any rest.
 */
function grantCovers(grant: string, callerVerb: string, path: string): boolean {
  if (!grant.startsWith(`${callerVerb} `)) return false;
  const granted = grant.slice(callerVerb.length + 1).split("/");
  const wanted = path.split("/");
  for (const [n, seg] of granted.entries()) {
    if (seg === "**") return true;
    if (n >= wanted.length) return false;
    if (seg !== "*" && seg !== wanted[n]) return false;
  }
  return true;
}
