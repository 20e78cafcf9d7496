import assert from "node:assert/strict";
import path from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { services } from "@tasks/catalog";

type Loaded = {
  workload: typeof import("../../src/workload/index.js");
  k8s: typeof import("../../src/k8s/index.js");
  dapr: typeof import("../../src/dapr/index.js");
  local: typeof import("../../src/local/index.js");
};
const resolve = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((r) => o.apply((v) => (r(v), v)));

describe("components validate their arguments up front", () => {
  let m: Loaded;
  const built: pulumi.runtime.MockResourceArgs[] = [];
  before(async () => {
    await pulumi.runtime.setMocks(
      {
        newResource: (a) => (
          a.type === "docker-build:index:Image" && built.push(a),
          {
            id: `${a.name}-id`,
            state: {
              ...a.inputs,
              ...(a.type === "docker-build:index:Image" ? { ref: `${(a.inputs.tags as string[])[0]}@sha256:${"a".repeat(64)}` } : {}),
            },
          }
        ),
        call: () => ({}),
      },
      "tasks-platform",
      "test",
    );
    m = {
      workload: await import("../../src/workload/index.js"),
      k8s: await import("../../src/k8s/index.js"),
      dapr: await import("../../src/dapr/index.js"),
      local: await import("../../src/local/index.js"),
    };
  });

  const workloadArgs = () => ({ service: services.audit, namespace: "tasks", image: "r/audit:src-1", daprConfig: "c" });

  it("ServiceWorkload mounts a token only for a sidecar that reads secrets", () => {
    assert.throws(() => new m.workload.ServiceWorkload("w1", { ...workloadArgs(), mountServiceAccountToken: true }), {
      message: "mountServiceAccountToken: mount the token only for a sidecar that reads secrets; readableSecrets is empty",
    });
    assert.throws(() => new m.workload.ServiceWorkload("w2", { ...workloadArgs(), readableSecrets: ["x"] }), {
      message: "readableSecrets: the pod cannot use them without mountServiceAccountToken",
    });
  });

  it("ServiceWorkload creates Dapr token Secrets only for a service that runs a sidecar", async () => {
    const created: string[] = [];
    const recorded = (name: string) => created.push(name);
    new m.workload.ServiceWorkload(
      "tokens-web",
      { ...workloadArgs(), service: services.web, image: "r/web:src-1" },
      {
        transformations: [(a) => (recorded(`${a.type} ${a.name}`), undefined)],
      },
    );
    new m.workload.ServiceWorkload("tokens-audit", workloadArgs(), {
      transformations: [(a) => (recorded(`${a.type} ${a.name}`), undefined)],
    });
    const secrets = created.filter(
      (c) => c.startsWith("kubernetes:core/v1:Secret ") || c.startsWith("random:index/randomPassword:RandomPassword "),
    );
    assert.deepEqual(secrets.sort(), [
      "kubernetes:core/v1:Secret tokens-audit-dapr-api-token",
      "kubernetes:core/v1:Secret tokens-audit-dapr-app-token",
      "random:index/randomPassword:RandomPassword tokens-audit-dapr-api-token",
      "random:index/randomPassword:RandomPassword tokens-audit-dapr-app-token",
    ]);
    assert.ok(created.includes("kubernetes:apps/v1:Deployment tokens-web-deployment"));
  });

  it("AppImage builds a local image into the node: no push, no registry cache", async () => {
    const img = new m.workload.AppImage("img", { service: "audit", registry: "tasks", output: "load" });
    assert.match(await resolve(img.imageName), /^tasks\/audit:src-[0-9a-f]{20}$/);
    await resolve(img.ref);
    const inputs = built.find((a) => a.name === "img-image")?.inputs;
    const root = m.workload.repoRoot;
    assert.deepEqual(inputs?.context, { location: root });
    assert.deepEqual(inputs?.dockerfile, { location: path.join(root, "apps", "Dockerfile") });
    assert.deepEqual(inputs?.buildArgs, { SERVICE: "audit" });
    assert.deepEqual([inputs?.push, inputs?.load, inputs?.cacheTo], [false, true, undefined]);
  });

  it("AppImage never builds a registry image: the digest CI pushed, or the tag alone when none applies", async () => {
    const digest = `sha256:${"b".repeat(64)}`;
    const img = new m.workload.AppImage("prebuilt", { service: "audit", registry: "acr.example.com", output: "registry", digest });
    assert.match(await resolve(img.ref), new RegExp(`^acr\\.example\\.com/audit:src-[0-9a-f]{20}@${digest}$`));
    // A deployed digest names its content tag: it applies only while the sources have that tag.
    const tagged = new m.workload.AppImage("tagged", {
      service: "audit",
      registry: "a",
      output: "registry",
      digest: `${img.tag}@${digest}`,
    });
    assert.equal(tagged.digest, digest);
    const stale = new m.workload.AppImage("stale", {
      service: "audit",
      registry: "a",
      output: "registry",
      digest: `src-${"0".repeat(20)}@${digest}`,
    });
    assert.equal(stale.digest, undefined);
    assert.match(await resolve(stale.ref), /^a\/audit:src-[0-9a-f]{20}$/);
    for (const name of ["prebuilt-image", "tagged-image", "stale-image"])
      assert.equal(
        built.find((a) => a.name === name),
        undefined,
        "no docker-build Image",
      );
    assert.throws(() => new m.workload.AppImage("bad", { service: "audit", registry: "r", output: "registry", digest: "sha256:abc" }), {
      message: 'digest: "sha256:abc" is not sha256:<64 hex digits>, optionally after src-<20 hex>@',
    });
    assert.throws(() => new m.workload.AppImage("local", { service: "audit", registry: "r", output: "load", digest }), {
      message: 'digest: only an image in a registry is deployed by digest (output is "load")',
    });
  });

  it("IngressController checks its TCP passthroughs and its static IP", () => {
    const backend = { namespace: "a", service: "b", port: 1 };
    const base = { host: "h", issuer: "x" };
    assert.throws(
      () => new m.k8s.IngressController("i1", { ...base, serviceType: "NodePort", tcp: [{ name: "Kafka_1", port: 1, backend }] }),
      {
        message: 'tcp: name "Kafka_1" must be 1-15 lower-case letters, digits and hyphens',
      },
    );
    assert.throws(
      () =>
        new m.k8s.IngressController("i2", {
          ...base,
          serviceType: "LoadBalancer",
          tcp: [{ name: "k", port: 1, backend, nodePort: 30001 }],
        }),
      {
        message: "tcp: nodePort only applies to a NodePort controller Service",
      },
    );
    assert.throws(
      () => new m.k8s.IngressController("i3", { ...base, serviceType: "NodePort", publicIp: { name: "ip", resourceGroupName: "rg" } }),
      { message: "publicIp: only a LoadBalancer Service takes one" },
    );
  });

  it("CertManager needs an ACME email, DaprResources a Kubernetes target, Redpanda a host:port, GatewayRoutes a DNS host", () => {
    assert.throws(() => new m.k8s.CertManager("c", { issuers: "acme" }), {
      message: "acmeEmail: Let's Encrypt issuers need a contact email (tls.acmeEmail)",
    });
    assert.throws(
      () =>
        new m.dapr.DaprResources("d", {
          settings: {
            target: "selfhosted",
            broker: { kind: "kafka", brokers: "x" },
            secretStore: { kind: "localfile", secretsFile: "/s" },
          },
        }),
      { message: "settings.target: DaprResources creates Kubernetes objects; write selfhosted resources with writeSelfhostedResources" },
    );
    assert.throws(() => new m.local.Redpanda("r", { namespace: "d", externalAddress: "nohost" }), {
      message: 'externalAddress: expected host:port, got "nohost"',
    });
    assert.throws(() => new m.k8s.GatewayRoutes("gr", { namespace: "tasks", host: "Tasks.Example.com", services: [] }), {
      message: 'host: "Tasks.Example.com" is not a lower-case DNS name',
    });
    assert.throws(() => new m.k8s.DaprControlPlane("dcp", { highAvailability: false, schedulerStorageSize: "1TB" }), {
      message: 'schedulerStorageSize: expected a size such as 1Gi, got "1TB"',
    });
  });
});
