import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseWarning } from "../src/client.js";
import { crdsFor, type Crd } from "../src/crds.js";
import { dependencyOrder, podSecurityWarnings, refOf, rejections, restrictedNamespaces, type KubeObject } from "../src/dry-run.js";

const obj = (kind: string, name: string, namespace?: string, apiVersion = "v1"): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...(namespace ? { namespace } : {}) },
});

describe("the kubernetes tier's ordering and reporting", () => {
  it("orders Namespaces, then cluster-scoped objects, then namespaced ones; built-in kinds as Helm installs them", () => {
    const objects = [
      obj("ServiceMonitor", "sm", "tasks", "monitoring.coreos.com/v1"),
      obj("Deployment", "api", "tasks", "apps/v1"),
      obj("ClusterIssuer", "ca", undefined, "cert-manager.io/v1"),
      obj("Service", "api", "tasks"),
      obj("Secret", "s", "tasks"),
      obj("Namespace", "tasks"),
      obj("NetworkPolicy", "deny", "tasks", "networking.k8s.io/v1"),
      obj("Subscription", "sub", "tasks", "dapr.io/v2alpha1"),
    ];
    const order = dependencyOrder(objects, (o) => o.metadata.namespace !== undefined).map(refOf);
    assert.deepEqual(order, [
      "Namespace tasks",
      "ClusterIssuer ca",
      "NetworkPolicy tasks/deny",
      "Secret tasks/s",
      "Service tasks/api",
      "Deployment tasks/api",
      "ServiceMonitor tasks/sm",
      "Subscription tasks/sub",
    ]);
  });

  it("finds the namespaces labelled restricted by any Pod Security mode", () => {
    const ns = (name: string, labels: Record<string, string>): KubeObject => ({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name, labels },
    });
    const set = restrictedNamespaces([
      ns("a", { "pod-security.kubernetes.io/enforce": "restricted" }),
      ns("b", { "pod-security.kubernetes.io/warn": "restricted", "pod-security.kubernetes.io/enforce": "baseline" }),
      ns("c", { "pod-security.kubernetes.io/enforce": "privileged" }),
      ns("d", {}),
    ]);
    assert.deepEqual([...set], ["a", "b"]);
  });

  it("reads Warning headers and reports Pod Security warnings and rejections by object", () => {
    assert.equal(
      parseWarning('299 - "would violate PodSecurity \\"restricted:latest\\": privileged"'),
      'would violate PodSecurity "restricted:latest": privileged',
    );
    assert.equal(parseWarning("not a warn-value"), "not a warn-value");
    const results = [
      {
        ref: "Deployment t/a",
        kind: "Deployment",
        accepted: true,
        created: false,
        status: 201,
        warnings: ['would violate PodSecurity "restricted:latest": x'],
      },
      { ref: "Deployment t/b", kind: "Deployment", accepted: true, created: false, status: 201, warnings: ["apps/v1beta1 is deprecated"] },
      {
        ref: "Job t/<no name>",
        kind: "Job",
        accepted: false,
        created: false,
        status: 422,
        message: "name or generateName is required",
        warnings: [],
      },
    ];
    assert.deepEqual(podSecurityWarnings(results), [
      { ref: "Deployment t/a", warning: 'would violate PodSecurity "restricted:latest": x' },
    ]);
    assert.deepEqual(rejections(results), ["Job t/<no name>: name or generateName is required"]);
  });
});

describe("the CRDs the kubernetes tier installs", () => {
  it("are those of the kinds the objects use, matched by group and kind", () => {
    const crd = (group: string, kind: string): Crd => ({
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${kind.toLowerCase()}s.${group}` },
      spec: { group, names: { kind, plural: `${kind.toLowerCase()}s` } },
    });
    const all = [
      crd("monitoring.coreos.com", "ServiceMonitor"),
      crd("monitoring.coreos.com", "Prometheus"),
      crd("dapr.io", "Subscription"),
      crd("other.io", "Subscription"),
    ];
    const picked = crdsFor(
      [
        obj("ServiceMonitor", "a", "t", "monitoring.coreos.com/v1"),
        obj("Subscription", "b", "t", "dapr.io/v2alpha1"),
        obj("Service", "c", "t"),
      ],
      all,
    );
    assert.deepEqual(
      picked.map((c) => c.metadata.name),
      ["servicemonitors.monitoring.coreos.com", "subscriptions.dapr.io"],
    );
  });
});
