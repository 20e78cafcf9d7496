import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import { allServices, serviceUid } from "@tasks/catalog";
import { dockerfileProblems } from "../src/testing/dockerfile.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

describe("apps/Dockerfile", () => {
  it(`runs as the catalog's serviceUid (${serviceUid}), the user the pods declare`, () => {
    const users = readFileSync(path.join(root, "apps/Dockerfile"), "utf8")
      .split("\n")
      .filter((l) => l.startsWith("USER "));
    assert.deepEqual(users, [`USER ${serviceUid}:${serviceUid}`]);
  });

  for (const { name } of allServices) {
    it(`builds ${name}: multi-stage, pinned, non-root, copies files that exist, runs apps/${name}/src/main.ts`, () => {
      assert.deepEqual(dockerfileProblems(root, "apps/Dockerfile", { args: { SERVICE: name } }), []);
    });
  }
});
