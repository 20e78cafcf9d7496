import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { runCase, type PolicyCases } from "./harness.js";

const testRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** Loads every `<folder>/*.cases.ts` fixture module (they mirror src/<folder>/*.ts). */
export async function loadCases(folder: string): Promise<{ file: string; cases: PolicyCases }[]> {
  const dir = path.join(testRoot, folder);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cases.ts"))
    .sort();
  return Promise.all(
    files.map(async (f) => ({
      file: `${folder}/${f}`,
      cases: ((await import(pathToFileURL(path.join(dir, f)).href)) as { default: PolicyCases }).default,
    })),
  );
}

/** Declares one test per numbered fixture: the exact violations (or not-applicable) and their level. */
export async function defineCaseTests(folder: string): Promise<void> {
  for (const { file, cases } of await loadCases(folder)) {
    const { policy } = cases;
    describe(`${policy.name} (${file})`, () => {
      for (const c of cases.cases) {
        test(`#${c.n} ${c.title}`, async () => {
          const result = await runCase(policy, c);
          if (c.notApplicable) {
            assert.equal(result.notApplicable, true, "expected the policy to declare itself not applicable");
            assert.deepEqual(result.messages, []);
            return;
          }
          assert.deepEqual(result.messages, c.expect ?? []);
          assert.equal(result.notApplicable, false, "the policy must apply to this fixture");
          for (const v of result.violations) assert.equal(v.level, policy.enforcementLevel);
        });
      }
    });
  }
}
