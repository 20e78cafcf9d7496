import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { secretNames, services, type ServiceSpec } from "@tasks/catalog";
import {
  accessPoliciesFor,
  daprOperations,
  daprResources,
  eventHubsBrokers,
  pubsubBroadcastComponent,
  pubsubComponent,
  resolveSettings,
  resiliency,
  stateStoreComponent,
  subscriptions,
  writeSelfhostedResources,
  type DaprComponent,
  type DaprConfiguration,
  type DaprSettings,
} from "../../src/dapr/index.js";

const resolve = <T>(o: pulumi.Input<T>): Promise<T> => new Promise((r) => pulumi.output(o).apply((v) => (r(v as T), v)));
const meta = (c: DaprComponent) => Object.fromEntries(c.spec.metadata.map((m) => [m.name, m.value ?? m.secretKeyRef]));

/**
 * The services these tests expect: a fixture (today's five entries, listed here), so a service added to the
 * catalog does not change what the assertions below describe.
 */
const fixture: readonly ServiceSpec[] = [
  services["tasks-api"],
  services.recurrence,
  services.notifications,
  services.audit,
  services.realtime,
];

const aks: DaprSettings = {
  target: "aks",
  services: fixture,
  broker: { kind: "eventhubs", namespaceName: "tasks-dev-ehns" },
  secretStore: { kind: "keyvault", vaultName: "tasks-dev-kv" },
};
const minikube: DaprSettings = {
  target: "minikube",
  services: fixture,
  broker: { kind: "kafka", brokers: "redpanda:9092" },
  secretStore: { kind: "kubernetes" },
};
const selfhosted = (secretsFile = "/tmp/secrets.json"): DaprSettings => ({
  target: "selfhosted",
  services: fixture,
  broker: { kind: "kafka", brokers: "localhost:9092" },
  secretStore: { kind: "localfile", secretsFile },
});

describe("Dapr builders", () => {
  it("connects pubsub.kafka to Event Hubs with SASL password auth and the connection string from the secret store", async () => {
    const c = pubsubComponent(resolveSettings(aks));
    const m = meta(c);
    assert.equal(await resolve(m.brokers as pulumi.Input<string>), "tasks-dev-ehns.servicebus.windows.net:9093");
    assert.equal(m.authType, "password");
    assert.equal(m.saslMechanism, "PLAINTEXT");
    assert.equal(m.saslUsername, "$ConnectionString");
    assert.deepEqual(m.saslPassword, { name: secretNames.eventHubsConnectionString, key: secretNames.eventHubsConnectionString });
    assert.equal(m.version, "1.0.0");
    assert.deepEqual(c.auth, { secretStore: "secretstore" });
    assert.equal(c.metadata.namespace, "tasks");
    assert.equal(await resolve(eventHubsBrokers(pulumi.output("x"))), "x.servicebus.windows.net:9093");
  });

  it("connects to Redpanda or a local Kafka without authentication", () => {
    for (const s of [minikube, selfhosted()]) {
      const m = meta(pubsubComponent(resolveSettings(s)));
      assert.equal(m.authType, "none");
      assert.equal(m.saslPassword, undefined);
    }
  });

  it("scopes the shared pubsub to the apps that use it except fan-out ones, and subscriptions to the subscriber, each with its topic's dead-letter topic", () => {
    const s = resolveSettings(minikube);
    assert.deepEqual(pubsubComponent(s).scopes, ["audit", "notifications", "recurrence", "tasks-api"]);
    const subs = subscriptions(s);
    assert.equal(
      subs.length,
      fixture.reduce((n, x) => n + x.subscribes.length, 0),
    );
    const rec = subs.find((x) => x.metadata.name === "recurrence-task-completed")!;
    assert.deepEqual(rec.scopes, ["recurrence"]);
    assert.deepEqual(rec.spec, {
      pubsubname: "pubsub",
      topic: "task.completed",
      routes: { default: "/events/task.completed" },
      deadLetterTopic: "task.completed.dlq",
    });
    assert.equal(rec.apiVersion, "dapr.io/v2alpha1");
  });

  it("fans task events out to every realtime pod: a broadcast component scoped to realtime with a consumer group per pod", async () => {
    for (const target of [aks, minikube]) {
      const s = resolveSettings(target);
      const b = pubsubBroadcastComponent(s)!;
      assert.equal(b.metadata.name, "pubsub-broadcast");
      assert.equal(b.spec.type, "pubsub.kafka");
      assert.deepEqual(b.scopes, ["realtime"]);
      const m = meta(b);
      assert.equal(m.consumerGroup, "{appID}-{podName}");
      assert.equal(m.initialOffset, "newest");
      // Same broker connection as the shared component.
      const shared = meta(pubsubComponent(s));
      assert.equal(await resolve(m.brokers as pulumi.Input<string>), await resolve(shared.brokers as pulumi.Input<string>));
      assert.equal(m.authType, shared.authType);
      assert.deepEqual(m.saslPassword, shared.saslPassword);
      assert.equal(shared.consumerGroup, undefined, "shared delivery keeps Dapr's per-app consumer group");
    }
    assert.deepEqual(pubsubBroadcastComponent(resolveSettings(aks))!.auth, { secretStore: "secretstore" });
    // daprd outside Kubernetes has no pod name and exits on {podName}: one random group per process there.
    assert.equal(meta(pubsubBroadcastComponent(resolveSettings(selfhosted()))!).consumerGroup, "{appID}-{uuid}");

    const subs = subscriptions(resolveSettings(aks));
    const realtimeSubs = subs.filter((x) => x.scopes.includes("realtime"));
    assert.equal(realtimeSubs.length, services.realtime.subscribes.length);
    for (const sub of realtimeSubs) assert.equal(sub.spec.pubsubname, "pubsub-broadcast");
    for (const sub of subs.filter((x) => !x.scopes.includes("realtime"))) assert.equal(sub.spec.pubsubname, "pubsub");

    assert.equal(pubsubBroadcastComponent(resolveSettings({ ...minikube, services: [services.audit] })), undefined);
    const names = daprResources(minikube).components.map((c) => c.metadata.name);
    assert.ok(names.includes("pubsub") && names.includes("pubsub-broadcast"));
    const r = resiliency(resolveSettings(minikube));
    assert.deepEqual(r.spec.targets.components["pubsub-broadcast"], r.spec.targets.components.pubsub);
  });

  it("refuses a subscription to a topic the catalog does not declare", () => {
    const bad = { ...services.audit, subscribes: [{ topic: "nope" as never, route: "/x" }] } as ServiceSpec;
    assert.throws(() => subscriptions(resolveSettings({ ...minikube, services: [bad] })), {
      message: 'subscriptions: service "audit" subscribes to "nope", which is not a catalog topic',
    });
  });

  it("puts the state store in the realtime database, and refuses two services sharing it", () => {
    const c = stateStoreComponent(resolveSettings(minikube))!;
    assert.deepEqual(c.scopes, ["realtime"]);
    assert.deepEqual(meta(c).connectionString, { name: "realtime-database-url", key: "realtime-database-url" });
    assert.equal(c.auth, undefined, "the operator resolves Kubernetes secrets");
    const two = [services.realtime, { ...services.audit, dapr: [...services.audit.dapr, "state"] } as ServiceSpec];
    assert.throws(() => stateStoreComponent(resolveSettings({ ...minikube, services: two })), {
      message:
        "state store: realtime, audit all use the state building block, but the state store lives in one service's database; give the state store a database of its own first",
    });
    assert.equal(stateStoreComponent(resolveSettings({ ...minikube, services: [services.audit] })), undefined);
  });

  it("loads the secret store into every app whose components resolve secrets through it", () => {
    const store = (s: DaprSettings) => daprResources(s).components.find((c) => c.metadata.name === "secretstore")!;
    // On AKS recurrence does not read secrets itself, but its pubsub needs the Event Hubs connection string.
    assert.deepEqual(store(aks).scopes, ["audit", "notifications", "realtime", "recurrence", "tasks-api"]);
    assert.deepEqual(store(minikube).scopes, ["audit", "notifications", "realtime", "tasks-api"]);
    assert.equal(store(aks).spec.type, "secretstores.azure.keyvault");
    assert.equal(store(minikube).spec.type, "secretstores.kubernetes");
    assert.equal(store(selfhosted()).spec.type, "secretstores.local.file");
  });

  it("keeps every secret out of component metadata values", () => {
    for (const s of [aks, minikube, selfhosted()]) {
      for (const c of daprResources(s).components) {
        for (const m of c.spec.metadata) {
          if (/password|secret|connectionString|user$/i.test(m.name) && m.name !== "secretsFile")
            assert.ok(m.secretKeyRef && m.value === undefined, `${c.metadata.name}.${m.name}`);
        }
      }
    }
  });

  it("allows each callee exactly the catalog's invocation paths and denies everything else", () => {
    assert.deepEqual(accessPoliciesFor("tasks-api", fixture, "tasks"), [
      {
        appId: "notifications",
        defaultAction: "deny",
        trustDomain: "public",
        namespace: "tasks",
        operations: [{ name: "/internal/tasks/*", httpVerb: ["GET"], action: "allow" }],
      },
      {
        appId: "recurrence",
        defaultAction: "deny",
        trustDomain: "public",
        namespace: "tasks",
        operations: [{ name: "/internal/occurrences", httpVerb: ["POST"], action: "allow" }],
      },
    ]);
    assert.deepEqual(accessPoliciesFor("audit", fixture, "tasks"), []);
    const configs = daprResources(aks).configurations;
    assert.equal(configs.length, fixture.length);
    for (const c of configs) assert.equal(c.spec.accessControl?.defaultAction, "deny");
    const granted = configs.flatMap((c) =>
      (c.spec.accessControl?.policies ?? []).flatMap((p) =>
        p.operations.map((o) => `${p.appId} ${c.metadata.name} ${o.httpVerb.join()} ${o.name}`),
      ),
    );
    assert.equal(granted.length, new Set(fixture.flatMap((s) => s.invokes.map((i) => `${s.name} ${i.app} ${i.path}`))).size);
  });

  it("gives a service without a sidecar (web) no Configuration and no access-control entry", () => {
    const set = daprResources({ ...aks, services: [...fixture, services.web] });
    assert.deepEqual(set.configurations.map((c) => c.metadata.name).sort(), fixture.map((s) => `tasks-dapr-config-${s.name}`).sort());
    assert.ok(!JSON.stringify(set).includes('"web"'), "web appears in no Dapr resource");
    // npm run dev: one Configuration file per sidecar, each named for its own app (web, before mcp, has none).
    const dir = mkdtempSync(path.join(tmpdir(), "dapr-selfhosted-web-"));
    try {
      const withWeb = [...fixture, services.web, services.mcp];
      const out = writeSelfhostedResources(
        { ...selfhosted(path.join(dir, "secrets.json")), services: withWeb },
        path.join(dir, "resources"),
        path.join(dir, "config"),
      );
      assert.deepEqual(
        Object.entries(out.configFiles).map(([app, file]) => [app, path.basename(file)]),
        withWeb.filter((s) => s.name !== "web").map((s) => [s.name, `tasks-dapr-config-${s.name}.yaml`]),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("merges the verbs of one path, widens a middle wildcard to /**, and lends a literal path the verbs below it (daprd's ACL trie)", () => {
    assert.deepEqual(
      daprOperations([
        { method: "GET", path: "/u/*/tasks" },
        { method: "POST", path: "/u/*/tasks" },
        { method: "PATCH", path: "/u/*/tasks/*" },
        { method: "GET", path: "/a/tasks" },
        { method: "DELETE", path: "/a/tasks/*" },
        { method: "POST", path: "/a/tasks/*/complete" },
        { method: "GET", path: "/other/*" },
      ]),
      [
        { name: "/u/**", httpVerb: ["GET", "PATCH", "POST"], action: "allow" },
        { name: "/a/tasks", httpVerb: ["DELETE", "GET", "POST"], action: "allow" },
        { name: "/a/tasks/*", httpVerb: ["DELETE"], action: "allow" },
        { name: "/a/tasks/**", httpVerb: ["POST"], action: "allow" },
        { name: "/other/*", httpVerb: ["GET"], action: "allow" },
      ],
    );
  });

  it("has capped exponential retries, timeouts and a circuit breaker on invocation, and no email binding", () => {
    const r = resiliency(resolveSettings(minikube));
    for (const retry of Object.values(r.spec.policies.retries)) {
      assert.equal(retry.policy, "exponential");
      assert.ok(retry.maxRetries > 0 && retry.maxRetries <= 10 && retry.maxInterval);
    }
    // Every app a service of these settings invokes: tasks-api (recurrence, notifications), notifications (tasks-api's feed).
    assert.deepEqual(Object.keys(r.spec.targets.apps), ["notifications", "tasks-api"]);
    for (const invocation of Object.values(r.spec.targets.apps))
      assert.ok(invocation.circuitBreaker && r.spec.policies.circuitBreakers[invocation.circuitBreaker]);
    assert.ok(r.spec.targets.components.pubsub?.inbound?.retry);
    // notifications sends mail over SMTP itself: no Dapr binding, so nothing for Resiliency to target.
    assert.deepEqual(Object.keys(r.spec.targets.components).sort(), ["pubsub", "pubsub-broadcast", "statestore"]);
    assert.equal(
      daprResources(aks).components.find((c) => c.spec.type.startsWith("bindings.smtp")),
      undefined,
    );
  });

  it("schedules the archive cron binding for notifications only", () => {
    const cron = daprResources(minikube).components.find((c) => c.spec.type === "bindings.cron")!;
    assert.equal(cron.metadata.name, services.notifications.cron.binding);
    assert.deepEqual(cron.scopes, ["notifications"]);
    assert.equal(meta(cron).schedule, "@daily");
  });

  it("rejects secret stores that do not fit the target, naming the option", () => {
    assert.throws(() => resolveSettings({ ...aks, secretStore: { kind: "kubernetes" } }), {
      message: 'secretStore: the aks target reads secrets from Key Vault; got kind "kubernetes"',
    });
    assert.throws(() => resolveSettings({ ...selfhosted(), secretStore: { kind: "kubernetes" } }), {
      message: 'secretStore: the selfhosted target reads secrets from a local file; got kind "kubernetes"',
    });
    assert.throws(() => resolveSettings({ ...minikube, secretStore: { kind: "localfile", secretsFile: "/x" } }), {
      message: 'secretStore: a local secrets file only works on the selfhosted target, not on "minikube"',
    });
  });
});

describe("selfhosted writer", () => {
  it("writes the same resources as YAML daprd can load, and one Configuration per app", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dapr-selfhosted-"));
    try {
      const out = writeSelfhostedResources(
        selfhosted(path.join(dir, "secrets.json")),
        path.join(dir, "resources"),
        path.join(dir, "config"),
      );
      const files = readdirSync(out.resourcesDir).sort();
      const k8sLike = daprResources(minikube);
      assert.equal(files.length, k8sLike.components.length + k8sLike.subscriptions.length + 1);
      assert.ok(
        files.includes("component-pubsub.yaml") &&
          files.includes("component-pubsub-broadcast.yaml") &&
          files.includes("resiliency-tasks-resiliency.yaml") &&
          files.includes("subscription-audit-task-created.yaml"),
      );
      const pubsub = parse(readFileSync(path.join(out.resourcesDir, "component-pubsub.yaml"), "utf8")) as DaprComponent;
      assert.equal(pubsub.metadata.namespace, undefined);
      assert.deepEqual(meta(pubsub).brokers, "localhost:9092");
      const state = parse(readFileSync(path.join(out.resourcesDir, "component-statestore.yaml"), "utf8")) as DaprComponent;
      assert.deepEqual(state.auth, { secretStore: "secretstore" }, "selfhosted sidecars resolve secrets through the file store");
      assert.deepEqual(Object.keys(out.configFiles).sort(), fixture.map((s) => s.name).sort());
      const conf = parse(readFileSync(out.configFiles["tasks-api"]!, "utf8")) as DaprConfiguration;
      // Selfhosted daprd runs with a local sentry (--enable-mtls), so the same access control applies;
      // Dapr refuses a policy without a namespace, and a selfhosted sidecar's SPIFFE id says "default".
      assert.equal(conf.spec.mtls, undefined, "daprd takes mTLS from --enable-mtls in selfhosted mode");
      assert.deepEqual(conf.spec.accessControl, {
        defaultAction: "deny",
        trustDomain: "public",
        policies: [
          {
            appId: "notifications",
            defaultAction: "deny",
            trustDomain: "public",
            namespace: "default",
            operations: [{ name: "/internal/tasks/*", httpVerb: ["GET"], action: "allow" }],
          },
          {
            appId: "recurrence",
            defaultAction: "deny",
            trustDomain: "public",
            namespace: "default",
            operations: [{ name: "/internal/occurrences", httpVerb: ["POST"], action: "allow" }],
          },
        ],
      });
      const audit = parse(readFileSync(out.configFiles.audit!, "utf8")) as DaprConfiguration;
      assert.deepEqual(audit.spec.accessControl, { defaultAction: "deny", trustDomain: "public", policies: [] }, "nobody may invoke audit");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses values only a Pulumi program can resolve, and other targets", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "dapr-selfhosted-"));
    try {
      const withOutput = { ...selfhosted(), broker: { kind: "kafka" as const, brokers: pulumi.output("localhost:9092") } };
      assert.throws(() => writeSelfhostedResources(withOutput, dir, dir), {
        message: 'Component "pubsub": spec.metadata[0].value is not a plain value; the selfhosted target needs literal strings',
      });
      assert.throws(() => writeSelfhostedResources(minikube, dir, dir), {
        message: 'settings.target: writeSelfhostedResources needs "selfhosted", got "minikube"',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
