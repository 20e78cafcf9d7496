import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { guardTransformation, protectionFor, statefulResource, statefulResources } from "../src/protection.js";
import { rulesFor } from "../src/offline/replacements.js";

const transform = (env: "dev" | "prod" | "local", type: string, props: Record<string, unknown>, opts: pulumi.ResourceOptions = {}) =>
  guardTransformation(protectionFor(env))({ type, name: "x", props, opts } as unknown as pulumi.ResourceTransformationArgs)?.opts;

describe("destructive-change guard: protection of stateful resources", () => {
  it("protects and retains in prod only", () => {
    assert.deepEqual(protectionFor("prod"), { protect: true, retainOnDelete: true });
    assert.deepEqual(protectionFor("dev"), { protect: false, retainOnDelete: false });
    assert.deepEqual(protectionFor("local"), { protect: false, retainOnDelete: false });
  });

  it("retains only what holds data, and keeps protection from flowing to a stateful resource's children", () => {
    assert.deepEqual(transform("prod", "azure-native:dbforpostgresql:Server", {}), { protect: true, retainOnDelete: true });
    assert.deepEqual(transform("prod", "azure-native:containerservice:ManagedCluster", {}), { protect: true, retainOnDelete: false });
    assert.deepEqual(transform("prod", "azure-native:eventhub:ConsumerGroup", {}), { protect: false });
    assert.deepEqual(transform("prod", "azure-native:eventhub:ConsumerGroup", {}, { protect: true }), { protect: true });
    assert.deepEqual(transform("dev", "azure-native:dbforpostgresql:Server", {}), { protect: false, retainOnDelete: false });
    // A component's own retainOnDelete (Key Vault secrets: purge protection blocks re-creating a deleted name) stays.
    assert.deepEqual(transform("dev", "azure-native:keyvault:Secret", {}, { retainOnDelete: true }), {
      protect: false,
      retainOnDelete: true,
    });
  });

  it("guards the Kubernetes objects that hold volumes, not every object of their kind", () => {
    assert.equal(statefulResource("kubernetes:helm.sh/v3:Release", { name: "dapr" })?.holdsData, true);
    assert.equal(statefulResource("kubernetes:helm.sh/v3:Release", { name: "ingress-nginx" }), undefined);
    assert.ok(statefulResource("kubernetes:core/v1:Namespace", { metadata: { name: "dapr-system" } }));
    assert.ok(statefulResource("kubernetes:core/v1:Namespace", { metadata: { name: "tasks-data" } }));
    assert.equal(statefulResource("kubernetes:core/v1:Namespace", { metadata: { name: "tasks" } }), undefined);
    assert.ok(statefulResource("kubernetes:apps/v1:StatefulSet", { metadata: { name: "postgres" } }));
  });

  it("has, for every stateful type, its replacement rules in the one table (stacks/src/offline/replacements.ts)", () => {
    for (const s of statefulResources) {
      assert.ok(s.why.length > 10, s.type);
      assert.ok(rulesFor(s.type).length > 0, `${s.type}: no replacement rule with a source`);
    }
  });
});
