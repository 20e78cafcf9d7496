/** Generated artefacts stay in step with the code: the README's policy table and the taggable Azure types. */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { readmeFile, renderPolicyTable, withPolicyTable } from "../src/generate/readme.js";
import { generateTaggableTypes, taggableTypesFile } from "../src/generate/taggable.js";
import { policies } from "../src/index.js";

test("policies/README.md lists every policy exactly as the code defines it (npm run policy -- --write-readme)", () => {
  const readme = readFileSync(readmeFile, "utf8");
  assert.equal(readme, withPolicyTable(readme), "the README's policy table is stale");
  const table = renderPolicyTable();
  for (const p of policies) assert.ok(table.includes(`| \`${p.name}\` (`), `${p.name} missing from the table`);
  assert.match(table, /^\d+ policies: \d+ mandatory, \d+ advisory; \d+ cannot be suppressed\.$/m);
});

test("a README without the markers is rejected with a message naming them", () => {
  assert.throws(() => withPolicyTable("# no table"), /^Error: policies\/README\.md must contain the markers/);
});

test("the taggable Azure types match the installed @pulumi/azure-native (npm run policy -- --write-taggable)", () => {
  assert.equal(readFileSync(taggableTypesFile, "utf8"), generateTaggableTypes());
});
