import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { manifestsOf, typeToGroupVersionKind, type Manifest } from "../src/offline/render-manifests.js";
import type { RecordedResource } from "../src/offline/mocked-run.js";
import { schemaProblems } from "./platform-schemas.js";

const m = (o: Record<string, unknown>): Manifest => o as unknown as Manifest;

describe("manifest schema validation", () => {
  it("accepts valid built-in, cert-manager, Prometheus operator, KEDA, CSI driver and Dapr objects", async () => {
    for (const ok of [
      m({ apiVersion: "v1", kind: "Service", metadata: { name: "a", namespace: "n" }, spec: { ports: [{ port: 80 }] } }),
      m({
        apiVersion: "cert-manager.io/v1",
        kind: "Certificate",
        metadata: { name: "c", namespace: "n" },
        spec: { secretName: "s", issuerRef: { name: "i" } },
      }),
      m({
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PodMonitor",
        metadata: { name: "p", namespace: "n" },
        spec: { selector: {}, podMetricsEndpoints: [{ port: "m" }] },
      }),
      m({
        apiVersion: "dapr.io/v2alpha1",
        kind: "Subscription",
        metadata: { name: "s" },
        spec: { pubsubname: "p", topic: "t", routes: { default: "/x" }, deadLetterTopic: "t.dlq" },
        scopes: ["a"],
      }),
      m({
        apiVersion: "keda.sh/v1alpha1",
        kind: "ScaledObject",
        metadata: { name: "so", namespace: "n" },
        spec: {
          scaleTargetRef: { name: "d" },
          minReplicaCount: 2,
          triggers: [{ type: "kafka", metadata: { topic: "t" }, authenticationRef: { name: "a" } }],
        },
      }),
      m({
        apiVersion: "secrets-store.csi.x-k8s.io/v1",
        kind: "SecretProviderClass",
        metadata: { name: "spc", namespace: "n" },
        spec: { provider: "azure", parameters: { keyvaultName: "kv" }, secretObjects: [{ secretName: "s", type: "Opaque", data: [] }] },
      }),
    ]) {
      assert.deepEqual(await schemaProblems(ok), []);
    }
  });

  it("reports type errors, missing required fields, misspelt Dapr fields and unknown kinds", async () => {
    assert.deepEqual(
      await schemaProblems(
        m({
          apiVersion: "apps/v1",
          kind: "Deployment",
          metadata: { name: "d", namespace: "n" },
          spec: { selector: {}, template: { spec: { containers: [{ name: "c", ports: [{ containerPort: "80" }] }] } } },
        }),
      ),
      ["apps/v1/Deployment n/d: data/spec/template/spec/containers/0/ports/0/containerPort must be integer"],
    );
    assert.deepEqual(
      await schemaProblems(
        m({
          apiVersion: "monitoring.coreos.com/v1",
          kind: "ServiceMonitor",
          metadata: { name: "s", namespace: "n" },
          spec: { selector: {}, endpoints: [{ port: 8080 }] },
        }),
      ),
      ["monitoring.coreos.com/v1/ServiceMonitor n/s: data/spec/endpoints/0/port must be string"],
    );
    assert.deepEqual(
      await schemaProblems(
        m({
          apiVersion: "dapr.io/v2alpha1",
          kind: "Subscription",
          metadata: { name: "s" },
          spec: { pubsubname: "p", topic: "t", routes: { default: "/x" }, deadLettertopic: "t.dlq" },
        }),
      ),
      ["dapr.io/v2alpha1/Subscription -/s: /spec must NOT have additional properties (deadLettertopic)"],
    );
    assert.deepEqual(
      await schemaProblems(
        m({ apiVersion: "dapr.io/v1alpha1", kind: "Component", metadata: { name: "c" }, spec: { type: "pubsub.kafka", metadata: [] } }),
      ),
      ["dapr.io/v1alpha1/Component -/c: /spec must have required property 'version'"],
    );
    assert.deepEqual(
      await schemaProblems(
        m({
          apiVersion: "keda.sh/v1alpha1",
          kind: "ScaledObject",
          metadata: { name: "so", namespace: "n" },
          spec: { scaleTargetRef: { name: "d" }, minReplicaCount: "2", triggers: [{ type: "kafka", metadata: {} }] },
        }),
      ),
      ["keda.sh/v1alpha1/ScaledObject n/so: data/spec/minReplicaCount must be integer"],
    );
    assert.deepEqual(
      await schemaProblems(
        m({
          apiVersion: "secrets-store.csi.x-k8s.io/v1",
          kind: "SecretProviderClass",
          metadata: { name: "spc", namespace: "n" },
          spec: { provider: "azure", parameters: { usePodIdentity: false } },
        }),
      ),
      ["secrets-store.csi.x-k8s.io/v1/SecretProviderClass n/spc: /spec/parameters/usePodIdentity must be string"],
    );
    assert.deepEqual(await schemaProblems(m({ apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" } })), [
      "example.com/v1/Widget -/w: no schema known for this kind",
    ]);
  });

  it("renders recorded Kubernetes resources, not Helm releases or components, and redacts Secret values", () => {
    assert.deepEqual(typeToGroupVersionKind("kubernetes:core/v1:ConfigMap"), { apiVersion: "v1", kind: "ConfigMap" });
    assert.deepEqual(typeToGroupVersionKind("kubernetes:dapr.io/v2alpha1:Subscription"), {
      apiVersion: "dapr.io/v2alpha1",
      kind: "Subscription",
    });
    const rec = (type: string, inputs: Record<string, unknown>, custom = true) =>
      ({
        urn: `urn:${type}`,
        type,
        name: "x",
        custom,
        inputs,
        state: {},
        protect: false,
        retainOnDelete: false,
        ignoreChanges: [],
        dependsOn: [],
        additionalSecretOutputs: [],
      }) as RecordedResource;
    const out = manifestsOf([
      rec("kubernetes:core/v1:Secret", {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "s" },
        stringData: { password: "hunter2" },
        data: { k: "aHVudGVyMg==" },
      }),
      rec("kubernetes:helm.sh/v3:Release", { chart: "dapr" }),
      rec("tasks:k8s:Monitoring", {}, false),
      rec("pulumi:providers:kubernetes", {}),
    ]);
    assert.deepEqual(out, [
      {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: "s" },
        stringData: { password: "<redacted>" },
        data: { k: Buffer.from("<redacted>").toString("base64") },
      },
    ]);
  });
});
