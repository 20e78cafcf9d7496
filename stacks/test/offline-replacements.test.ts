import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatPath, propertyChanges } from "../src/offline/property-diff.js";
import { replacementRules, replacingChanges, rulesFor } from "../src/offline/replacements.js";

/** Which changes replace a resource: the table shared by the engine's mock providers and plan checks. */

const paths = (type: string, olds: unknown, news: unknown): string[] =>
  replacingChanges(type, olds, news).map((r) => formatPath(r.change.path));

describe("propertyChanges", () => {
  it("reports leaf paths with array indexes, and whole values where shapes differ", () => {
    const changes = propertyChanges(
      { a: { b: 1, c: [1, 2] }, d: "x", gone: true },
      { a: { b: 2, c: [1, 3] }, d: "x", added: { y: 1 } },
    ).map((c) => `${c.kind} ${formatPath(c.path)}`);
    assert.deepEqual(changes, ["update a.b", "update a.c[1]", "add added", "delete gone"]);
  });

  it("finds nothing between equal values", () => {
    assert.deepEqual(propertyChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }), []);
  });
});

describe("replacingChanges", () => {
  it("replaces an AKS cluster on a new service CIDR but not on a new Kubernetes version or pool size (pulumi-azure-native#4771, #2774)", () => {
    const olds = {
      resourceName: "aks",
      kubernetesVersion: "1.33",
      networkProfile: { serviceCidr: "10.0.0.0/16", loadBalancerSku: "standard" },
      agentPoolProfiles: [{ name: "system", vmSize: "Standard_D2ds_v5", count: 2 }],
    };
    assert.deepEqual(
      paths("azure-native:containerservice:ManagedCluster", olds, {
        ...olds,
        networkProfile: { ...olds.networkProfile, serviceCidr: "10.1.0.0/16" },
      }),
      ["networkProfile.serviceCidr"],
    );
    assert.deepEqual(paths("azure-native:containerservice:ManagedCluster", olds, { ...olds, kubernetesVersion: "1.34" }), []);
    assert.deepEqual(
      paths("azure-native:containerservice:ManagedCluster", olds, {
        ...olds,
        agentPoolProfiles: [{ ...olds.agentPoolProfiles[0], vmSize: "Standard_D4ds_v5" }],
      }),
      [],
    );
    assert.deepEqual(
      paths("azure-native:containerservice:ManagedCluster", olds, {
        ...olds,
        networkProfile: { ...olds.networkProfile, loadBalancerSku: "basic" },
      }),
      [],
    );
  });

  it("replaces an Azure resource whose name, resource group or location changes", () => {
    assert.deepEqual(
      paths("azure-native:keyvault:Vault", { vaultName: "kv-a", resourceGroupName: "rg" }, { vaultName: "kv-b", resourceGroupName: "rg" }),
      ["vaultName"],
    );
    assert.deepEqual(
      paths(
        "azure-native:eventhub:Namespace",
        { location: "westeurope", sku: { name: "Standard" } },
        { location: "northeurope", sku: { name: "Standard" } },
      ),
      ["location"],
    );
    assert.deepEqual(paths("azure-native:eventhub:Namespace", { sku: { name: "Standard" } }, { sku: { name: "Premium" } }), []);
    const key = { keyName: "k", vaultName: "kv", resourceGroupName: "rg", properties: { kty: "RSA", keySize: 2048 } };
    assert.deepEqual(paths("azure-native:keyvault:Key", key, { ...key, keyName: "k2" }), ["keyName"]);
    assert.deepEqual(paths("azure-native:keyvault:Key", key, { ...key, properties: { kty: "RSA", keySize: 4096 } }), []);
  });

  it("replaces a Kubernetes object on a new name or namespace, a Deployment on a new selector but not on a new image", () => {
    const dep = {
      metadata: { name: "api", namespace: "tasks" },
      spec: { selector: { matchLabels: { app: "api" } }, template: { spec: { containers: [{ name: "api", image: "a:1" }] } } },
    };
    const image = { ...dep, spec: { ...dep.spec, template: { spec: { containers: [{ name: "api", image: "a:2" }] } } } };
    assert.deepEqual(paths("kubernetes:apps/v1:Deployment", dep, image), []);
    assert.deepEqual(
      paths("kubernetes:apps/v1:Deployment", dep, { ...dep, spec: { ...dep.spec, selector: { matchLabels: { app: "x" } } } }),
      ["spec.selector.matchLabels.app"],
    );
    assert.deepEqual(paths("kubernetes:networking.k8s.io/v1:NetworkPolicy", { metadata: { name: "a" } }, { metadata: { name: "b" } }), [
      "metadata.name",
    ]);
    assert.deepEqual(paths("kubernetes:core/v1:ConfigMap", { data: { a: "1" } }, { data: { a: "2" } }), ["data.a"]);
  });

  it("replaces a StatefulSet whose volume claim template grows (spec.volumeClaimTemplates)", () => {
    const sts = (size: string) => ({ spec: { volumeClaimTemplates: [{ spec: { resources: { requests: { storage: size } } } }] } });
    assert.deepEqual(paths("kubernetes:apps/v1:StatefulSet", sts("5Gi"), sts("6Gi")), [
      "spec.volumeClaimTemplates[0].spec.resources.requests.storage",
    ]);
  });

  it("counts a parent object that appears or disappears when the value at a rule's path changes", () => {
    assert.deepEqual(paths("azure-native:containerservice:ManagedCluster", {}, { networkProfile: { podCidr: "10.244.0.0/16" } }), [
      "networkProfile",
    ]);
    assert.deepEqual(paths("azure-native:containerservice:ManagedCluster", {}, { networkProfile: { loadBalancerSku: "standard" } }), []);
  });

  it("replaces a Kafka topic only when its partition count shrinks", () => {
    assert.deepEqual(paths("kafka:index/topic:Topic", { partitions: 3 }, { partitions: 6 }), []);
    assert.deepEqual(paths("kafka:index/topic:Topic", { partitions: 6 }, { partitions: 3 }), ["partitions"]);
  });

  it("replaces a generated password on a new length, and never an image build", () => {
    assert.deepEqual(paths("random:index/randomPassword:RandomPassword", { length: 32 }, { length: 48 }), ["length"]);
    assert.deepEqual(paths("docker-build:index:Image", { tags: ["a:1"] }, { tags: ["a:2"] }), []);
  });

  it("replaces Application Insights on a new application type, alerts and action groups only on a new name, a StorageClass on new parameters", () => {
    const ai = { resourceName: "ai", resourceGroupName: "rg", kind: "web", applicationType: "web", retentionInDays: 90 };
    assert.deepEqual(paths("azure-native:applicationinsights:Component", ai, { ...ai, applicationType: "other" }), ["applicationType"]);
    assert.deepEqual(paths("azure-native:applicationinsights:Component", ai, { ...ai, retentionInDays: 30 }), []);
    const alert = { ruleName: "a", resourceGroupName: "rg", severity: 1, criteria: { allOf: [{ threshold: 0 }] } };
    assert.deepEqual(
      paths("azure-native:monitor:MetricAlert", alert, { ...alert, severity: 2, criteria: { allOf: [{ threshold: 5 }] } }),
      [],
    );
    assert.deepEqual(paths("azure-native:monitor:MetricAlert", alert, { ...alert, ruleName: "b" }), ["ruleName"]);
    const group = { actionGroupName: "g", resourceGroupName: "rg", emailReceivers: [{ emailAddress: "a@b.c" }] };
    assert.deepEqual(paths("azure-native:monitor:ActionGroup", group, { ...group, emailReceivers: [] }), []);
    const sc = {
      metadata: { name: "zrs" },
      provisioner: "disk.csi.azure.com",
      parameters: { skuName: "Premium_ZRS" },
      allowVolumeExpansion: true,
    };
    assert.deepEqual(paths("kubernetes:storage.k8s.io/v1:StorageClass", sc, { ...sc, parameters: { skuName: "Premium_LRS" } }), [
      "parameters.skuName",
    ]);
    assert.deepEqual(paths("kubernetes:storage.k8s.io/v1:StorageClass", sc, { ...sc, allowVolumeExpansion: false }), []);
  });

  it("gives every rule a source and every Kubernetes kind at least its identity", () => {
    for (const [type, rules] of Object.entries(replacementRules)) for (const r of rules) assert.match(r.source, /^https:\/\//, type);
    assert.deepEqual(rulesFor("kubernetes:dapr.io/v1alpha1:Component")[0]?.paths, ["metadata.name", "metadata.namespace"]);
    assert.deepEqual(rulesFor("azuread:index/unknown:Unknown"), []);
  });
});
