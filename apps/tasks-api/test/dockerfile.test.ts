import assert from "node:assert/strict";
import path from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { services } from "@tasks/catalog";
import { dockerfileProblems } from "@tasks/shared/testing";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

test("the Dockerfile is multi-stage, pinned, non-root, and copies files that exist", () => {
  assert.deepEqual(dockerfileProblems(root, "apps/tasks-api/Dockerfile", { port: services["tasks-api"].port }), []);
});
