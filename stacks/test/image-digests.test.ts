/**
 * Deploying what CI verified: with `imageDigests` set (deploy.yml does, after cosign verify), the dev
 * stack deploys those services' images by digest under their content tag and builds none of them.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { runStackMocked, type MockedRun } from "../src/offline/mocked-run.js";
import { missingDigestProblem } from "../src/platform/workloads.js";

const digest = `sha256:${"d".repeat(64)}`;
let run: MockedRun;

describe("dev stack with imageDigests", () => {
  before(async () => {
    run = await runStackMocked("dev", { configOverrides: { imageDigests: JSON.stringify({ "tasks-api": digest, audit: digest }) } });
  });

  const image = (service: string) => {
    const d = run.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === `workload-${service}-deployment`);
    assert.ok(d, `no Deployment for ${service}`);
    return (d.inputs as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0]!.image;
  };
  const builds = (service: string) => run.resources.some((r) => r.type.startsWith("docker-build:") && r.name === `image-${service}-image`);

  it("deploys the given digests under the content tag and builds none of those images", () => {
    for (const service of ["tasks-api", "audit"]) {
      assert.match(image(service), new RegExp(`/${service}:src-[0-9a-f]{20}@${digest}$`));
      assert.equal(builds(service), false, `${service} is built`);
    }
  });

  it("never builds or pushes an AKS image: a service without a digest shows its tag alone (offline, previews)", () => {
    assert.equal(
      run.resources.some((r) => r.type.startsWith("docker-build:")),
      false,
    );
    assert.match(image("realtime"), /\/realtime:src-[0-9a-f]{20}$/);
  });

  it("outputs the deployed digests with their content tags, which previews and drift pass back", () => {
    const deployed = run.outputs.deployedImages as Record<string, string>;
    assert.deepEqual(Object.keys(deployed).sort(), ["audit", "tasks-api"]);
    assert.match(deployed["tasks-api"]!, new RegExp(`^src-[0-9a-f]{20}@${digest}$`));
  });

  it("stops a real pulumi up without a digest for every service's current sources, naming them", () => {
    const images = [
      { service: "tasks-api", tag: "src-1", digest },
      { service: "realtime", tag: "src-2" },
    ];
    assert.equal(
      missingDigestProblem(images, { dryRun: false, offline: false }),
      "tasks-platform:imageDigests: no digest for realtime (src-2): pulumi up deploys only images CI built, scanned, signed and pushed; " +
        "deploy through .github/workflows/deploy.yml (its images action passes the digests)",
    );
    assert.equal(missingDigestProblem(images, { dryRun: true, offline: false }), undefined);
    assert.equal(missingDigestProblem(images, { dryRun: false, offline: true }), undefined);
    assert.equal(missingDigestProblem([images[0]!], { dryRun: false, offline: false }), undefined);
  });
});
