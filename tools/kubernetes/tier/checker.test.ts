/**
 * The tier's checks can fail: objects the stacks must never contain are sent to the same kind of server
 * and each problem is caught and named (rejection, Pod Security warning, missing CRD, CRD schema).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startApiServer, type ApiServer } from "../src/apiserver.js";
import { resolveBinaries } from "../src/binaries.js";
import { crdSources } from "../src/crd-sources.js";
import { installCrds, loadCrds } from "../src/crds.js";
import { applyInOrder, podSecurityWarnings, rejections, type KubeObject } from "../src/dry-run.js";

const ns = "checks";
const namespace: KubeObject = {
  apiVersion: "v1",
  kind: "Namespace",
  metadata: { name: ns, labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
};
const container = { name: "app", image: "registry.example/app:1" };
const deployment = (name: string, securityContext: Record<string, unknown>): KubeObject => ({
  apiVersion: "apps/v1",
  kind: "Deployment",
  metadata: { name, namespace: ns },
  spec: {
    selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers: [{ ...container, securityContext }] } },
  },
});
const restrictedContainer = {
  runAsNonRoot: true,
  runAsUser: 10001,
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
const subscription = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: "dapr.io/v2alpha1",
  kind: "Subscription",
  metadata: { name: "task-created", namespace: ns },
  spec,
});

describe("the kubernetes tier's checks catch what the API server refuses or warns about", () => {
  let server: ApiServer;
  before(async () => {
    server = await startApiServer(resolveBinaries());
  });
  after(() => server?.stop());

  it("creates the namespace first, whatever the order given, and accepts a restricted pod without warning", async () => {
    const results = await applyInOrder(server.client, [deployment("good", restrictedContainer), namespace]);
    assert.deepEqual(
      results.map((r) => [r.ref, r.accepted, r.created]),
      [
        ["Namespace checks", true, true],
        ["Deployment checks/good", true, false],
      ],
    );
    assert.deepEqual(podSecurityWarnings(results), []);
    // Dry run: nothing but the namespace was stored.
    assert.equal((await server.client.request("GET", `/apis/apps/v1/namespaces/${ns}/deployments/good`)).status, 404);
  });

  it("reports Pod Security's warnings for pods a restricted namespace would refuse, naming each object", async () => {
    const results = await applyInOrder(server.client, [deployment("root", { privileged: true }), deployment("plain", {})]);
    assert.deepEqual(rejections(results), [], "dry run accepts the Deployments: only their pods would be refused");
    const warnings = podSecurityWarnings(results);
    assert.deepEqual(
      warnings.map((w) => w.ref),
      ["Deployment checks/root", "Deployment checks/plain"],
    );
    assert.match(warnings[0]!.warning, /would violate PodSecurity "restricted:latest": privileged/);
    assert.match(warnings[1]!.warning, /allowPrivilegeEscalation != false.*runAsNonRoot != true/);
  });

  it("names an object without a name, an unknown field and a missing namespace, with the server's message", async () => {
    const job: KubeObject = {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: { namespace: ns },
      spec: { template: { spec: { restartPolicy: "Never", containers: [{ ...container, securityContext: restrictedContainer }] } } },
    };
    const typo: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "typo", namespace: ns }, dta: { a: "b" } };
    const elsewhere: KubeObject = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "lost", namespace: "missing" } };
    const lines = rejections(await applyInOrder(server.client, [job, typo, elsewhere]));
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^ConfigMap checks\/typo: .*unknown field "dta"/);
    assert.match(lines[1]!, /^ConfigMap missing\/lost: namespaces "missing" not found/);
    assert.match(lines[2]!, /^Job checks\/<no name>: .*name or generateName is required/);
  });

  it("rejects a custom resource before its CRD, and one that breaks the CRD's schema after", async () => {
    const good = subscription({ pubsubname: "pubsub", topic: "task.created", routes: { default: "/events" } });
    const before = rejections(await applyInOrder(server.client, [good]));
    assert.deepEqual(before, [
      "Subscription checks/task-created: the server does not serve dapr.io/v2alpha1 Subscription (no CRD installed for it?)",
    ]);

    await installCrds(server.client, loadCrds(crdSources.find((s) => s.chartKey === "dapr")!));
    assert.deepEqual(rejections(await applyInOrder(server.client, [good])), []);
    const noTopic = rejections(await applyInOrder(server.client, [subscription({ pubsubname: "pubsub", routes: { default: "/e" } })]));
    assert.equal(noTopic.length, 1);
    assert.match(noTopic[0]!, /^Subscription checks\/task-created: .*spec\.topic: Required value/);
  });
});
