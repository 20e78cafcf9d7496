import assert from "node:assert/strict";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { allServices } from "@tasks/catalog";
import { dockerfileProblems } from "../src/testing/dockerfile.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

describe("apps/Dockerfile", () => {
  for (const { name } of allServices) {
    it(`builds ${name}: multi-stage, pinned, non-root, copies files that exist, runs apps/${name}/src/main.ts`, () => {
      assert.deepEqual(dockerfileProblems(root, "apps/Dockerfile", { args: { SERVICE: name } }), []);
    });
  }
});
