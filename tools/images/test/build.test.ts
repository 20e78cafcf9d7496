/**
 * `npm run images`: the references it builds are the ones the Pulumi program deploys (the same content
 * tag, imported from the infra package), and a failed build is reported with its step.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { allServices } from "@tasks/catalog";
import { failingStep, progressOf } from "../src/build-log.js";
import { containersConf, podmanEnv, repoRoot } from "../src/podman.js";
import { localStackRegistry, serviceImages } from "../src/refs.js";

describe("image references", () => {
  it("are the images the local stack's program deploys (its `images` output), for every catalog service", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", path.join(repoRoot, "scripts", "plan.ts"), "--stack", "local", "--json"], {
      cwd: repoRoot,
      encoding: "utf8",
      maxBuffer: 64 << 20,
    });
    assert.equal(r.status, 0, r.stderr);
    const planned = (JSON.parse(r.stdout) as { outputs: { images: Record<string, string> } }).outputs.images;
    const built = Object.fromEntries(serviceImages(localStackRegistry()).map((i) => [i.service, i.ref]));
    assert.deepEqual(built, planned);
    assert.deepEqual(
      Object.keys(built),
      allServices.map((s) => s.name),
    );
  });

  it("take any registry, and refuse a service the catalog lacks or a malformed registry", () => {
    const [img] = serviceImages("tasksdevacr.azurecr.io", ["audit"]);
    assert.match(img!.ref, /^tasksdevacr\.azurecr\.io\/audit:src-[0-9a-f]{20}$/);
    assert.throws(() => serviceImages("tasks.local", ["audit", "billing" as never]), /--service: billing not in the catalog/);
    assert.throws(() => serviceImages("Bad Registry!"), /--registry: "Bad Registry!" is not a registry host/);
  });
});

describe("podman environment", () => {
  it("uses the project's containers.conf unless the caller chose one", () => {
    assert.equal(podmanEnv({}).CONTAINERS_CONF, containersConf);
    assert.equal(podmanEnv({ CONTAINERS_CONF: "/etc/mine.conf" }).CONTAINERS_CONF, "/etc/mine.conf");
  });
});

describe("build log", () => {
  // The end of a real failed `podman build` (podman 4.3), trimmed.
  const log = [
    "[2/5] STEP 4/4: RUN --mount=type=secret,id=extra_ca,required=false npm ci --omit=dev",
    "--> Using cache f0a61c6156367fdae35c02163a0ee9ba78bd0871cb45282ff90e7bbfd8389289",
    "[3/5] STEP 1/3: FROM f0a61c6156367 AS deps",
    '[3/5] STEP 3/3: RUN test -n "$SERVICE" && npm ci --offline --omit=dev --workspace "apps/${SERVICE}" && npm ls --omit=dev --all',
    "npm error Exit handler never called!",
    "npm error code ELSPROBLEMS",
    "npm error invalid: tsx@ /app/node_modules/tsx",
    'Error: building at STEP "RUN test -n "$SERVICE" && npm ci --offline": while running runtime: exit status 1',
  ].join("\n");

  it("names the step a build ended in and podman's error", () => {
    const { step, error } = failingStep(log);
    assert.match(step, /^\[3\/5\] STEP 3\/3: RUN test -n .*npm ci --offline/);
    assert.match(error, /^Error: building at STEP .*exit status 1$/);
    assert.deepEqual(failingStep("npm error code E401\nsomething failed"), { step: "(before the first step)", error: "something failed" });
  });

  it("shortens STEP lines for progress and ignores the rest", () => {
    assert.equal(progressOf("npm error x"), undefined);
    const p = progressOf(`[1/5] STEP 4/4: RUN ${"x".repeat(200)}`, 40)!;
    assert.equal(p.length, 40);
    assert.ok(p.endsWith("…"));
  });
});
