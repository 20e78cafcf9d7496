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

test("failedTests repeats the first lines of each failure's error, a block or a quoted scalar", () => {
  const report = `TAP version 13
not ok 1 - block error
  ---
  location: '/repo/a.test.ts:1:1'
  error: |-
    Expected values to be strictly equal:
    
    1 !== 2
  code: 'ERR_ASSERTION'
  ...
not ok 2 - scalar error
  ---
  location: '/repo/b.test.ts:2:1'
  error: 'the reminder email: not within 45000 ms (it''s late)'
  ...
# pass 0
# fail 2
`;
  assert.deepEqual(failedTests(report, "integration", "/repo"), [
    "integration: block error (a.test.ts:1:1)\n      Expected values to be strictly equal:\n      1 !== 2",
    "integration: scalar error (b.test.ts:2:1)\n      the reminder email: not within 45000 ms (it's late)",
  ]);
});
