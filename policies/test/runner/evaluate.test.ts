/** evaluatePolicies over a hand-made stack run: inputs vs outputs, providers, config, levels, report text. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { formatPolicySummary, formatSummary, formatViolationTable } from "../../src/evaluate/report.js";
import { evaluatePolicies, loadPolicyConfig, snapshotsOf, type RecordedResource, type StackRun } from "../../src/evaluate/run.js";
import { noPrivilegedContainers } from "../../src/kubernetes/no-privileged-containers.js";
import { noDefaultNamespace } from "../../src/kubernetes/no-default-namespace.js";
import { defaultDeny } from "../../src/network/default-deny.js";
import { deployment } from "../fixtures/kubernetes.js";
import { edit } from "../lib/json.js";

const urn = (type: string, name: string) => `urn:pulumi:dev::tasks-platform::${type}::${name}`;

function recorded(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<RecordedResource> = {}): RecordedResource {
  return {
    urn: urn(type, name),
    type,
    name,
    inputs,
    state: { name, ...inputs },
    protect: false,
    ignoreChanges: [],
    dependsOn: [],
    additionalSecretOutputs: [],
    ...extra,
  };
}

const d = deployment();
const privileged = edit(d.props, ["spec.template.spec.containers.0.securityContext.privileged", true], ["metadata.namespace"]);
const provider = recorded("pulumi:providers:kubernetes", "k8s", { namespace: "tasks" });
const run: StackRun = {
  stack: "dev",
  resources: [provider, recorded(d.type, d.name, privileged, { provider: `${provider.urn}::k8s-id` })],
};

describe("evaluatePolicies", () => {
  test("resource policies see inputs and the resource's provider", async () => {
    const report = await evaluatePolicies(run, { policies: [noPrivilegedContainers, noDefaultNamespace], config: {} });
    // no-default-namespace takes the namespace from the provider: no violation.
    assert.deepEqual(
      report.violations.map((v) => [v.policy, v.resource, v.level, v.message]),
      [
        [
          "kubernetes-no-privileged-containers",
          "kubernetes:apps/v1:Deployment::tasks-api",
          "mandatory",
          'container "app" must not run privileged (securityContext.privileged: true).',
        ],
      ],
    );
    assert.equal(report.mandatory, 1);
    assert.equal(report.advisory, 0);
    assert.equal(report.resources, 2);
  });

  test("stack policies see outputs (state), not inputs", async () => {
    const withState: StackRun = {
      ...run,
      resources: [recorded(d.type, d.name, d.props, { state: edit(d.props, ["metadata.namespace", "elsewhere"]) })],
    };
    const report = await evaluatePolicies(withState, { policies: [defaultDeny], config: {} });
    assert.deepEqual(
      report.violations.map((v) => v.message),
      ['namespace "elsewhere" runs Deployment tasks-api but has no default-deny NetworkPolicy for Ingress and Egress.'],
    );
    assert.equal(report.violations[0]?.resource, "(stack)");
  });

  test("pack config: a level override, disabled policies, and remediate counted as mandatory", async () => {
    const policies = [noPrivilegedContainers];
    const advisory = await evaluatePolicies(run, { policies, config: { "kubernetes-no-privileged-containers": "advisory" } });
    assert.deepEqual(
      advisory.violations.map((v) => v.level),
      ["advisory"],
    );
    const disabled = await evaluatePolicies(run, {
      policies,
      config: { "kubernetes-no-privileged-containers": { enforcementLevel: "disabled" } },
    });
    assert.equal(disabled.violations.length, 0);
    const remediate = await evaluatePolicies(run, { policies, config: { "kubernetes-no-privileged-containers": "remediate" } });
    assert.deepEqual(
      remediate.violations.map((v) => v.level),
      ["mandatory"],
    );
  });

  test("snapshots link providers by the `<urn>::<id>` reference", () => {
    const { inputs, outputs } = snapshotsOf(run);
    assert.equal(inputs[1]?.provider?.urn, provider.urn);
    assert.deepEqual(inputs[1]?.provider?.props, { namespace: "tasks" });
    assert.equal(outputs[1]?.props.name, "tasks-api");
  });

  test("loadPolicyConfig reads a --policy-pack-config file and names a bad one", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "policy-config-"));
    const good = path.join(dir, "good.json");
    writeFileSync(good, JSON.stringify({ "kubernetes-image-registry": { allowedRegistries: ["x.azurecr.io"] } }));
    assert.deepEqual(loadPolicyConfig(good), { "kubernetes-image-registry": { allowedRegistries: ["x.azurecr.io"] } });
    const bad = path.join(dir, "bad.json");
    writeFileSync(bad, "{");
    assert.throws(() => loadPolicyConfig(bad), /^Error: Cannot read policy config .*bad\.json: /);
  });
});

describe("report text", () => {
  test("table: header, mandatory rows first, unpadded message column; summary lines", async () => {
    const report = await evaluatePolicies(run, { policies: [noPrivilegedContainers], config: {} });
    const extra = { ...report.violations[0]!, level: "advisory" as const, policy: "a-policy", message: "m" };
    const table = formatViolationTable([extra, ...report.violations]).split("\n");
    assert.deepEqual(table, [
      "POLICY                               RESOURCE                                  LEVEL      MESSAGE",
      "-----------------------------------  ----------------------------------------  ---------  -------",
      'kubernetes-no-privileged-containers  kubernetes:apps/v1:Deployment::tasks-api  mandatory  container "app" must not run privileged (securityContext.privileged: true).',
      "a-policy                             kubernetes:apps/v1:Deployment::tasks-api  advisory   m",
    ]);
    assert.equal(formatViolationTable([]), "");
    assert.equal(formatSummary(report), "policy FAILED: stack dev: 1 policies over 2 resources: 1 mandatory, 0 advisory violation(s)");
    assert.deepEqual(formatPolicySummary(report), [formatSummary(report), "  mandatory   1  kubernetes-no-privileged-containers"]);
  });
});
