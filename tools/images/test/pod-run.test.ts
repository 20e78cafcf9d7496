import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cpuQuantity, memoryBytes, podmanRunArgs, type DeploymentManifest, type PodSpec } from "../src/pod-run.js";

/** A Deployment shaped as the infra workload builder renders one (infra/src/workload/pod.ts). */
function deployment(pod: Partial<PodSpec> = {}, container: Record<string, unknown> = {}): DeploymentManifest {
  return {
    metadata: { name: "audit" },
    spec: {
      template: {
        spec: {
          terminationGracePeriodSeconds: 30,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            fsGroup: 10001,
            seccompProfile: { type: "RuntimeDefault" },
          },
          volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
          containers: [
            {
              name: "audit",
              image: "tasks.local/audit:src-0123",
              env: [
                { name: "NODE_ENV", value: "production" },
                { name: "PORT", value: "3003" },
              ],
              resources: { limits: { cpu: "500m", memory: "256Mi" } },
              securityContext: {
                runAsNonRoot: true,
                runAsUser: 10001,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
              ...container,
            },
          ],
          ...pod,
        },
      },
    },
  };
}

const pairs = (args: string[], flag: string) => args.flatMap((a, i) => (a === flag ? [args[i + 1]] : []));

describe("podmanRunArgs", () => {
  it("carries every security setting of the pod and container", () => {
    const args = podmanRunArgs(deployment(), { name: "c1" });
    assert.deepEqual(pairs(args, "--user"), ["10001:10001"]);
    assert.deepEqual(pairs(args, "--group-add"), ["10001"]);
    assert.deepEqual(pairs(args, "--cap-drop"), ["ALL"]);
    assert.deepEqual(pairs(args, "--security-opt"), ["no-new-privileges"]);
    assert.ok(args.includes("--read-only"));
    assert.ok(args.includes("--read-only-tmpfs=false"), "no tmpfs the pod does not mount");
    assert.deepEqual(pairs(args, "--tmpfs"), [`/tmp:rw,nosuid,nodev,mode=1777,size=${64 * 2 ** 20}`]);
    assert.deepEqual(pairs(args, "--memory"), [String(256 * 2 ** 20)]);
    assert.deepEqual(pairs(args, "--cpus"), ["0.5"]);
    assert.deepEqual(pairs(args, "--stop-timeout"), ["30"]);
    assert.deepEqual(pairs(args, "--name"), ["c1"]);
    assert.equal(args.at(-1), "tasks.local/audit:src-0123", "the image's own CMD, as the pod sets no command or args");
  });

  it("passes the pod's env, with overrides replacing values, and labels", () => {
    const args = podmanRunArgs(deployment(), { name: "c", envOverrides: { PORT: "40000", DAPR_HTTP_PORT: "40001" }, labels: { run: "x" } });
    assert.deepEqual(pairs(args, "--env"), ["NODE_ENV=production", "PORT=40000", "DAPR_HTTP_PORT=40001"]);
    assert.deepEqual(pairs(args, "--label"), ["run=x"]);
  });

  it("keeps a writable root and adds capabilities only when the pod says so", () => {
    const args = podmanRunArgs(deployment({}, { securityContext: { runAsUser: 10001, capabilities: { add: ["NET_BIND_SERVICE"] } } }), {
      name: "c",
    });
    assert.ok(!args.includes("--read-only"));
    assert.deepEqual(pairs(args, "--cap-add"), ["NET_BIND_SERVICE"]);
    assert.deepEqual(pairs(args, "--security-opt"), [], "no no-new-privileges unless allowPrivilegeEscalation is false");
  });

  it("runs the pod's command and args", () => {
    const args = podmanRunArgs(deployment({}, { command: ["node"], args: ["--import", "tsx", "x.ts"] }), { name: "c" });
    assert.deepEqual(pairs(args, "--entrypoint"), ['["node"]']);
    assert.deepEqual(args.slice(-4), ["tasks.local/audit:src-0123", "--import", "tsx", "x.ts"]);
  });

  it("mounts each item of a Secret volume read-only from the file given for it", () => {
    const secret = { secretName: "audit-dapr-app-token", items: [{ key: "token", path: "token" }], defaultMode: 0o440 };
    const d = deployment(
      {
        volumes: [
          { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
          { name: "dapr-app-token", secret },
        ],
      },
      {
        volumeMounts: [
          { name: "tmp", mountPath: "/tmp" },
          { name: "dapr-app-token", mountPath: "/var/run/secrets/tasks/dapr-app-token", readOnly: true },
        ],
      },
    );
    const args = podmanRunArgs(d, { name: "c", secretFiles: { "audit-dapr-app-token": { token: "/work/app-tokens/audit" } } });
    assert.deepEqual(pairs(args, "--volume"), ["/work/app-tokens/audit:/var/run/secrets/tasks/dapr-app-token/token:ro"]);
    assert.throws(() => podmanRunArgs(d, { name: "c" }), /no file given for key token of Secret audit-dapr-app-token/);
    const writable = deployment({ volumes: [{ name: "s", secret }] }, { volumeMounts: [{ name: "s", mountPath: "/s" }] });
    assert.throws(
      () => podmanRunArgs(writable, { name: "c", secretFiles: { "audit-dapr-app-token": { token: "/f" } } }),
      /mounts Secret audit-dapr-app-token writable/,
    );
  });

  it("refuses what it cannot reproduce, naming the field", () => {
    const fails = (d: DeploymentManifest, message: RegExp) => assert.throws(() => podmanRunArgs(d, { name: "c" }), message);
    fails(deployment({ volumes: [{ name: "tmp" }] }), /volume tmp is neither an emptyDir nor a Secret/);
    fails(deployment({}, { env: [{ name: "DB", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }] }), /env DB uses valueFrom/);
    fails(deployment({}, { envFrom: [{ secretRef: { name: "s" } }] }), /envFrom is not supported/);
    fails(deployment({}, { securityContext: { runAsUser: 10001, privileged: true } }), /privileged containers are not supported/);
    fails(deployment({ securityContext: {} }, { securityContext: {} }), /no runAsUser/);
    fails(deployment({}, { securityContext: { runAsUser: 0, runAsNonRoot: true } }), /runAsNonRoot with runAsUser 0/);
    fails(deployment({}, { securityContext: { runAsUser: 1, seccompProfile: { type: "Localhost" } } }), /seccompProfile Localhost/);
    const two = deployment();
    fails(
      {
        ...two,
        spec: {
          template: {
            spec: { ...two.spec.template.spec, containers: [...two.spec.template.spec.containers, ...two.spec.template.spec.containers] },
          },
        },
      },
      /expected one container, found 2/,
    );
  });
});

describe("quantities", () => {
  it("converts CPU and memory as Kubernetes reads them", () => {
    assert.equal(cpuQuantity("500m"), "0.5");
    assert.equal(cpuQuantity("2"), "2");
    assert.equal(memoryBytes("64Mi"), 67_108_864);
    assert.equal(memoryBytes("1Gi"), 2 ** 30);
    assert.equal(memoryBytes("500M"), 500_000_000);
    assert.equal(memoryBytes("1024"), 1024);
    assert.throws(() => cpuQuantity("half"), /not a CPU quantity/);
    assert.throws(() => memoryBytes("1.5Gi"), /not a memory quantity/);
  });
});
