/**
 * Deploying what CI verified: with `imageDigests` set (deploy.yml does, after cosign verify), the dev
 * stack deploys those services' images by digest under their content tag and builds none of them.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { runStackMocked, type MockedRun } from "../src/offline/mocked-run.js";

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

  it("still builds and pushes the services without a digest", () => {
    assert.equal(builds("realtime"), true);
    assert.doesNotMatch(image("realtime"), new RegExp(digest));
  });
});
