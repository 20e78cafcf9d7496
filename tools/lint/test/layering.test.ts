/** The layering rules, run through the repository's own ESLint config on files placed in each workspace. */
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const eslint = new ESLint({ cwd: root });

/** The layering messages ESLint reports for `code` as if it were the file at `file` (relative to the root). */
async function layeringErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith("tasks/")).map((m) => `${m.ruleId}: ${m.message}`);
}

describe("tasks/no-relative-cross-workspace", () => {
  test("a relative import into another workspace is an error naming both", async () => {
    assert.deepEqual(await layeringErrors("stacks/test/x.test.ts", 'import { x } from "../../scripts/lib/local-names.js";\nvoid x;\n'), [
      "tasks/no-relative-cross-workspace: ../../scripts/lib/local-names.js leaves workspace stacks for scripts: import it by package name (@tasks/...).",
    ]);
    assert.deepEqual(await layeringErrors("integration/test/x.test.ts", 'import "../../scripts/dev.js";\n'), [
      "tasks/no-relative-cross-workspace: ../../scripts/dev.js leaves workspace integration for scripts: import it by package name (@tasks/...).",
    ]);
  });
  test("a relative import inside the workspace is fine", async () => {
    assert.deepEqual(
      await layeringErrors(
        "stacks/test/x.test.ts",
        'import { runStackMocked } from "../src/offline/mocked-run.js";\nvoid runStackMocked;\n',
      ),
      [],
    );
  });
});

describe("tasks/layers", () => {
  test("an upward import by package name is an error naming the allowed arrows", async () => {
    assert.deepEqual(
      await layeringErrors("stacks/src/x.ts", 'import { startPlatform } from "@tasks/dev-platform/dev-platform";\nvoid startPlatform;\n'),
      [
        "tasks/layers: @tasks/dev-platform/dev-platform: stacks may import only catalog, infra, not tools/dev-platform.",
        "tasks/declared-dependencies: @tasks/dev-platform is not declared in stacks/package.json (dependencies or devDependencies): declare it, do not rely on hoisting.",
      ],
    );
    assert.deepEqual(
      await layeringErrors(
        "policies/test/x.test.ts",
        'import type { MockedRun } from "@tasks/stacks/offline/mocked-run";\nexport type R = MockedRun;\n',
      ),
      [
        "tasks/layers: @tasks/stacks/offline/mocked-run: policies may import only catalog, not stacks.",
        "tasks/declared-dependencies: @tasks/stacks is not declared in policies/package.json (dependencies or devDependencies): declare it, do not rely on hoisting.",
      ],
    );
    assert.deepEqual(await layeringErrors("catalog/src/x.ts", 'export { x } from "@tasks/shared";\n'), [
      "tasks/layers: @tasks/shared: catalog may import only no workspace of ours, not apps/shared.",
      "tasks/declared-dependencies: @tasks/shared is not declared in catalog/package.json (dependencies or devDependencies): declare it, do not rely on hoisting.",
    ]);
  });
  test("a service's source may not import another service; only its tests may (declared as a devDependency)", async () => {
    const code = 'import { createTasksApp } from "@tasks/tasks-api";\nvoid createTasksApp;\n';
    assert.deepEqual(await layeringErrors("apps/audit/src/x.ts", code), [
      "tasks/layers: @tasks/tasks-api: apps/audit may import only catalog, apps/shared, not apps/tasks-api.",
    ]);
    assert.deepEqual(await layeringErrors("apps/audit/test/x.test.ts", code), []);
  });
  test("downward arrows are allowed", async () => {
    assert.deepEqual(
      await layeringErrors(
        "tools/plan/src/x.ts",
        'import { runStackMocked } from "@tasks/stacks/offline/mocked-run";\nvoid runStackMocked;\n',
      ),
      [],
    );
    assert.deepEqual(await layeringErrors("apps/realtime/src/x.ts", 'import { services } from "@tasks/catalog";\nvoid services;\n'), []);
    assert.deepEqual(await layeringErrors("scripts/x.ts", 'import { runPlanCli } from "@tasks/plan/plan-cli";\nvoid runPlanCli;\n'), []);
  });
});

describe("tasks/declared-dependencies", () => {
  test("a package used only through hoisting is an error; node builtins need no declaration", async () => {
    assert.deepEqual(
      await layeringErrors(
        "catalog/src/x.ts",
        'import { z } from "zod";\nimport path from "node:path";\nimport fs from "fs";\nvoid z, path, fs;\n',
      ),
      [
        "tasks/declared-dependencies: zod is not declared in catalog/package.json (dependencies or devDependencies): declare it, do not rely on hoisting.",
      ],
    );
    assert.deepEqual(await layeringErrors("infra/src/x.ts", 'import { parse } from "yaml";\nvoid parse;\n'), []);
  });
});
