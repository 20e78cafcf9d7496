import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { manifestsOf } from "../src/offline/render-manifests.js";
import { autonameSuffix, withPulumiAutoname, type Named } from "../src/offline/pulumi-autoname.js";
import type { RecordedResource } from "../src/offline/mocked-run.js";

const urn = "urn:pulumi:local::tasks-platform::tasks:workload:DatabaseRoles$kubernetes:batch/v1:Job::database-roles-job";

describe("Pulumi's auto-naming of Kubernetes objects in the render", () => {
  it("names an unnamed object <logical name>-<8 hex> and marks it pulumi.com/autonamed, stable per URN", () => {
    const unnamed: Named = { metadata: { namespace: "tasks", annotations: { a: "b" } } };
    const out = withPulumiAutoname(unnamed, "database-roles-job", urn);
    assert.match(String(out.metadata.name), /^database-roles-job-[0-9a-f]{8}$/);
    assert.equal(out.metadata.name, `database-roles-job-${autonameSuffix(urn)}`);
    assert.deepEqual(out.metadata.annotations, { a: "b", "pulumi.com/autonamed": "true" });
    assert.equal(withPulumiAutoname<Named>({ metadata: {} }, "database-roles-job", urn).metadata.name, out.metadata.name);
    assert.notEqual(autonameSuffix(urn), autonameSuffix(urn.replace("local", "dev")));
  });

  it("leaves a named object, or one with generateName, as the program wrote it", () => {
    const named = { metadata: { name: "x" } };
    const generated = { metadata: { generateName: "x-" } };
    assert.equal(withPulumiAutoname(named, "n", urn), named);
    assert.equal(withPulumiAutoname(generated, "n", urn), generated);
  });

  it("applies to the rendered manifests", () => {
    const job: RecordedResource = {
      urn,
      type: "kubernetes:batch/v1:Job",
      name: "database-roles-job",
      custom: true,
      inputs: { apiVersion: "batch/v1", kind: "Job", metadata: { namespace: "tasks" }, spec: {} },
      state: {},
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      dependsOn: [],
      additionalSecretOutputs: [],
    };
    const [m] = manifestsOf([job]);
    assert.equal(m!.metadata.name, `database-roles-job-${autonameSuffix(urn)}`);
  });
});
