import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compareRuns, formatAgreement } from "../src/agreement.js";
import { parseEventLog, UNKNOWN_OUTPUT } from "../src/event-log.js";
import { SECRET_SIG, SIG, UNKNOWN } from "../src/property-values.js";
import type { MockedReference } from "../src/reference.js";

/** Reading the engine's event log and checking it against a mocked run. */

const stackUrn = "urn:pulumi:local::tasks-platform::pulumi:pulumi:Stack::tasks-platform-local";
const ns = "urn:pulumi:local::tasks-platform::kubernetes:core/v1:Namespace::tasks";
const pw = "urn:pulumi:local::tasks-platform::random:index/randomPassword:RandomPassword::pw";
const pre = (urn: string, type: string, op = "create") => ({ resourcePreEvent: { metadata: { urn, type, op } } });
const policy = (policyName: string, resourceUrn: string, message: string) => ({
  policyEvent: { resourceUrn, policyName, enforcementLevel: "advisory", message },
});

function log(outputs: Record<string, unknown>, ...events: object[]): string {
  return [
    pre(stackUrn, "pulumi:pulumi:Stack"),
    pre("urn:pulumi:local::tasks-platform::pulumi:providers:random::default_4_21_2", "pulumi:providers:random"),
    pre(ns, "kubernetes:core/v1:Namespace"),
    pre(pw, "random:index/randomPassword:RandomPassword"),
    ...events,
    { resOutputsEvent: { metadata: { type: "pulumi:pulumi:Stack", new: { outputs } } } },
    { summaryEvent: { resourceChanges: { create: 3 }, result: "succeeded" } },
  ]
    .map((e) => JSON.stringify(e))
    .join("\n");
}

const reference: MockedReference = {
  stack: "local",
  resources: new Map([
    [ns, "kubernetes:core/v1:Namespace"],
    [pw, "random:index/randomPassword:RandomPassword"],
  ]),
  outputs: { host: "tasks.example", password: { secret: true }, ids: ["a", "b"] },
  violations: [{ policy: "ns-label", urn: ns, level: "advisory", message: "Namespace tasks has no label." }],
};

describe("parseEventLog", () => {
  it("leaves out the stack and default providers, masks secrets and marks unknowns", () => {
    const run = parseEventLog(log({ host: "h", password: { [SIG]: SECRET_SIG, ciphertext: "[secret]" }, ids: UNKNOWN }));
    assert.deepEqual(
      run.resources.map((r) => r.type),
      ["kubernetes:core/v1:Namespace", "random:index/randomPassword:RandomPassword"],
    );
    assert.deepEqual(run.outputs, { host: "h", password: { secret: true }, ids: UNKNOWN_OUTPUT });
    assert.deepEqual(run.changes, { create: 3 });
  });
});

describe("compareRuns", () => {
  it("agrees when resources, outputs and violations match; counts unknowns and unevaluable policies in a preview", () => {
    const run = parseEventLog(
      log(
        { host: "tasks.example", password: { [SIG]: SECRET_SIG, ciphertext: "[secret]" }, ids: UNKNOWN },
        policy("ns-label", ns, "Namespaces carry labels.\nNamespace tasks has no label.\n"),
        policy(
          "pw-length",
          pw,
          "Passwords are long.\ncan't run policy 'pw-length' from policy pack 'p@v0.1.0' during preview: number value at .length can't be known",
        ),
      ),
    );
    const a = compareRuns(run, reference, "preview");
    assert.deepEqual(a.disagreements, []);
    assert.deepEqual(a.outputs, { leaves: 4, agree: 2, unknown: 2 });
    assert.deepEqual(a.policies, { engine: 1, mocked: 1, agree: 1, notEvaluable: 1 });
    assert.match(formatAgreement(a), /^local \(preview\): resources 2\/2 agree/);
  });

  it("names the resource, output and policy that disagree", () => {
    const other = "urn:pulumi:local::tasks-platform::kubernetes:core/v1:Namespace::extra";
    const run = parseEventLog(log({ host: "elsewhere", password: "plain", ids: ["a", "b"] }, pre(other, "kubernetes:core/v1:Namespace")));
    const a = compareRuns(run, reference, "preview");
    assert.deepEqual(a.disagreements, [
      `resource ${other}: in the engine run only`,
      'output host: engine "elsewhere", mocked "tasks.example"',
      'output password: engine "plain", mocked {"secret":true}',
      `policy ns-label on ${ns}: mocked run reports advisory "Namespace tasks has no label.", the engine does not`,
    ]);
  });

  it("allows no unknown output and no unevaluable policy after an up", () => {
    const run = parseEventLog(
      log({ host: "tasks.example", password: { secret: true }, ids: UNKNOWN }, policy("ns-label", ns, "Namespace tasks has no label.")),
    );
    const a = compareRuns(run, reference, "after up");
    assert.deepEqual(a.disagreements, ['output ids[0]: engine "[unknown]", mocked "a"', 'output ids[1]: engine "[unknown]", mocked "b"']);
  });
});
