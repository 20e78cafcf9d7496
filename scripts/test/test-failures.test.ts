import assert from "node:assert/strict";
import { test } from "node:test";
import { failedTests } from "../lib/test-failures.js";

// The shape node:test's TAP reporter writes: children before their suite, a YAML block after each line.
const tap = `TAP version 13
# Subtest: suite
    # Subtest: inner bad
    not ok 1 - inner bad
      ---
      duration_ms: 1.2
      location: '/repo/apps/x/test/a.test.ts:4:3'
      failureType: 'testCodeFailure'
      ...
    # Subtest: inner ok
    ok 2 - inner ok
      ---
      location: '/repo/apps/x/test/a.test.ts:5:3'
      ...
not ok 1 - suite
  ---
  location: '/repo/apps/x/test/a.test.ts:3:1'
  ...
ok 2 - fine
  ---
  location: '/repo/apps/x/test/b.test.ts:1:1'
  ...
# pass 2
# fail 2
`;

test("failedTests names each failing test and suite with its file and line, relative to the repo", () => {
  assert.deepEqual(failedTests(tap, "unit", "/repo"), [
    "unit: inner bad (apps/x/test/a.test.ts:4:3)",
    "unit: suite (apps/x/test/a.test.ts:3:1)",
  ]);
});

test("failedTests is empty for a passing report", () => {
  assert.deepEqual(failedTests("TAP version 13\nok 1 - a\n# pass 1\n# fail 0\n", "unit", "/repo"), []);
});
