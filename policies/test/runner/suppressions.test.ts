/** Suppressions: matching, expiry, unsuppressible policies, the pack's wrapper and the runner's report. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, afterEach, describe, test } from "node:test";
import type { ReportViolation, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";
import { formatSummary, formatSuppressions } from "../../src/evaluate/report.js";
import { evaluatePolicies, type RecordedResource, type StackRun } from "../../src/evaluate/run.js";
import { policies } from "../../src/index.js";
import { imageRegistry } from "../../src/kubernetes/image-registry.js";
import { noPrivilegedContainers } from "../../src/kubernetes/no-privileged-containers.js";
import {
  daysLeft,
  entryProblems,
  isSuppressible,
  policyIndex,
  setSuppressionDirectory,
  today,
  urnMatches,
  withSuppressions,
} from "../../src/lib/suppressions.js";
import { suppressionValid } from "../../src/suppression/valid.js";
import { deployment } from "../fixtures/kubernetes.js";
import { edit } from "../lib/json.js";

const dir = mkdtempSync(path.join(tmpdir(), "suppressions-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => setSuppressionDirectory());
const inDays = (n: number): string => today(new Date(Date.now() + n * 86_400_000));
const writeSuppressions = (stack: string, yaml: string): void => {
  writeFileSync(path.join(dir, `${stack}.yaml`), yaml);
  setSuppressionDirectory(dir);
};
const index = policyIndex(policies);

describe("suppression entries", () => {
  test("a URN pattern: * spans any characters, (stack) is the stack itself, the rest is literal", () => {
    const urn = "urn:pulumi:local::tasks-platform::tasks:local:Postgres$kubernetes:apps/v1:StatefulSet::postgres-statefulset";
    assert.ok(urnMatches(urn, urn));
    assert.ok(urnMatches("urn:pulumi:local::*::postgres-statefulset", urn));
    assert.ok(!urnMatches("urn:pulumi:local::*::postgres", urn));
    assert.ok(!urnMatches("urn:pulumi:local::tasks-platform::tasks:local:Postgres.kubernetes*", urn), "$ and . are literal");
    assert.ok(urnMatches("(stack)", undefined) && !urnMatches("*", undefined) && !urnMatches("(stack)", urn));
  });

  test("days left count to the end of the expiry day; expired the day after", () => {
    assert.equal(daysLeft("2027-01-01", "2026-12-04"), 28);
    const e = { policy: "kubernetes-image-registry", resource: "*", reason: "r", owner: "o", expires: "2027-01-01" };
    assert.deepEqual(entryProblems(e, index, "2027-01-01"), []);
    assert.deepEqual(entryProblems(e, index, "2027-01-02"), ["expired on 2027-01-01; fix the resource, or renew it with a new review"]);
  });

  test("critical policies and those marked suppressible: false cannot be suppressed", () => {
    const names = policies.filter((p) => !isSuppressible(p)).map((p) => p.name);
    for (const critical of policies.filter((p) => p.severity === "critical")) assert.ok(names.includes(critical.name), critical.name);
    for (const name of ["kubernetes-no-secret-env", "dapr-mtls-enabled", "azure-keyvault-purge-protection", "suppression-valid"])
      assert.ok(names.includes(name), name);
    assert.ok(isSuppressible(imageRegistry));
  });
});

describe("withSuppressions (the pack's wrapper)", () => {
  const d = deployment();
  const privileged = edit(d.props, ["spec.template.spec.containers.0.securityContext.privileged", true]);
  const urnIn = (stack: string) => `urn:pulumi:${stack}::tasks-platform::${d.type}::${d.name}`;
  const resourceArgs = (stack: string) =>
    ({
      type: d.type,
      name: d.name,
      urn: urnIn(stack),
      props: privileged,
      notApplicable: () => undefined,
    }) as unknown as ResourceValidationArgs;
  const collect = async (run: (report: ReportViolation) => unknown): Promise<string[]> => {
    const seen: string[] = [];
    await run((m) => void seen.push(m));
    return seen;
  };

  test("drops a violation an entry in force covers, keeps it in another stack or once the entry expired", async () => {
    const policy = { ...noPrivilegedContainers, name: "kubernetes-test-suppressible", tags: [] };
    const wrapped = withSuppressions(policy, () => new Map([[policy.name, true]]));
    const validate = wrapped.validateResource as ((a: ResourceValidationArgs, r: ReportViolation) => unknown)[];
    const entry = (expires: string) =>
      `- policy: kubernetes-test-suppressible\n  resource: "urn:pulumi:qa::*::tasks-api"\n  reason: r\n  owner: o\n  expires: "${expires}"\n`;
    writeSuppressions("qa", entry(inDays(10)));
    assert.deepEqual(await collect((r) => validate[0]!(resourceArgs("qa"), r)), []);
    assert.equal((await collect((r) => validate[0]!(resourceArgs("other"), r))).length, 1);
    writeSuppressions("qa", entry("2020-01-01"));
    assert.equal((await collect((r) => validate[0]!(resourceArgs("qa"), r))).length, 1);
  });

  test("never wraps an unsuppressible policy, whatever the file says", async () => {
    writeSuppressions(
      "qa",
      `- policy: kubernetes-no-privileged-containers\n  resource: "*"\n  reason: r\n  owner: o\n  expires: "${inDays(10)}"\n`,
    );
    assert.equal(
      withSuppressions(noPrivilegedContainers, () => index),
      noPrivilegedContainers,
    );
  });

  test("a stack policy takes the stack from its resources' URNs", async () => {
    writeSuppressions(
      "qa",
      `- policy: kubernetes-image-registry\n  resource: "*::tasks-api"\n  reason: r\n  owner: o\n  expires: "${inDays(1)}"\n`,
    );
    const wrapped = withSuppressions(imageRegistry, () => index);
    const image = edit(d.props, ["spec.template.spec.containers.0.image", "docker.io/library/nginx:1.27"]);
    const args = (stack: string) =>
      ({
        resources: [{ type: d.type, name: d.name, urn: urnIn(stack), props: image }],
        stackTags: new Map(),
        getConfig: () => ({}),
      }) as unknown as StackValidationArgs;
    assert.deepEqual(await collect((r) => wrapped.validateStack(args("qa"), r)), []);
    assert.equal((await collect((r) => wrapped.validateStack(args("dev"), r))).length, 1);
  });
});

describe("the runner's report", () => {
  const d = deployment();
  const image = edit(d.props, ["spec.template.spec.containers.0.image", "docker.io/library/nginx:1.27"]);
  const resource: RecordedResource = {
    urn: `urn:pulumi:qa::tasks-platform::${d.type}::${d.name}`,
    type: d.type,
    name: d.name,
    inputs: image,
    state: image,
    protect: false,
    ignoreChanges: [],
    dependsOn: [],
    additionalSecretOutputs: [],
  };
  const run: StackRun = { stack: "qa", resources: [resource] };

  test("lists the suppressions in force with days left and what each silenced; the silenced violation is not counted", async () => {
    writeSuppressions(
      "qa",
      [
        `- policy: kubernetes-image-registry\n  resource: "urn:pulumi:qa::*::tasks-api"\n  reason: upstream image\n  owner: team-a\n  expires: "${inDays(20)}"`,
        `- policy: kubernetes-image-registry\n  resource: "urn:pulumi:qa::*::nothing"\n  reason: stale\n  owner: team-b\n  expires: "${inDays(5)}"`,
      ].join("\n"),
    );
    const report = await evaluatePolicies(run, { policies: [imageRegistry, suppressionValid], config: {} });
    assert.deepEqual(report.violations, []);
    assert.deepEqual(
      report.suppressions.active.map((a) => [a.owner, a.daysLeft, a.suppressed]),
      [
        ["team-a", 20, 1],
        ["team-b", 5, 0],
      ],
    );
    assert.deepEqual(
      report.suppressions.suppressed.map((v) => [v.policy, v.resource]),
      [["kubernetes-image-registry", "kubernetes:apps/v1:Deployment::tasks-api"]],
    );
    assert.equal(
      formatSummary(report),
      "policy passed: stack qa: 2 policies over 1 resources: 0 mandatory, 0 advisory violation(s), 1 suppressed (qa.yaml)",
    );
    const lines = formatSuppressions(report).split("\n");
    assert.equal(lines[0], "suppressions in force for stack qa (qa.yaml): 2, silencing 1 violation(s)");
    assert.match(lines[3]!, /^kubernetes-image-registry +urn:pulumi:qa::\*::tasks-api +team-a +\d{4}-\d\d-\d\d +20 +1 +upstream image$/);
    assert.match(lines[4]!, /team-b .* 5 +0 \(unused: remove it\?\) +stale$/);
  });

  test("an expired suppression silences nothing and is itself a mandatory violation", async () => {
    writeSuppressions(
      "qa",
      `- policy: kubernetes-image-registry\n  resource: "urn:pulumi:qa::*::tasks-api"\n  reason: upstream image\n  owner: team-a\n  expires: "2021-03-01"\n`,
    );
    const report = await evaluatePolicies(run, { policies: [imageRegistry, suppressionValid], config: {} });
    assert.deepEqual(
      report.violations.map((v) => [v.policy, v.level]),
      [
        ["kubernetes-image-registry", "mandatory"],
        ["suppression-valid", "mandatory"],
      ],
    );
    assert.deepEqual(report.suppressions.active, []);
    assert.equal(formatSuppressions(report), "suppressions: none in force for stack qa (qa.yaml)");
  });
});
