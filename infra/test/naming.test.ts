import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { azureName, azureNameRules, childName } from "../src/naming.js";

describe("naming", () => {
  it("names children `${name}-<role>`", () => {
    assert.equal(childName("tasks-prod", "kv"), "tasks-prod-kv");
    assert.throws(() => childName("tasks-prod", ""), { message: 'childName needs a name and a role, got "tasks-prod" and ""' });
  });

  it("keeps Key Vault names within 24 characters, with the suffix intact", () => {
    const n = azureName("keyVault", "tasks-production-europe-kv", "ab12cd");
    assert.equal(n, "tasks-production-ab12cd");
    assert.ok(n.length <= 24);
    assert.equal(azureName("keyVault", "tasks-dev-kv", "ab12cd"), "tasks-dev-kv-ab12cd");
  });

  it("never leaves a doubled or trailing hyphen after cutting", () => {
    assert.equal(azureName("keyVault", "tasks--prod__x-y-z-abcdefghij", "q1w2e3"), "tasks-prod-x-y-z-q1w2e3");
    assert.doesNotMatch(azureName("keyVault", "a-b-c-d-e-f-g-h-i-j-k-l-m-n", "zz"), /--|-$/);
  });

  it("strips hyphens and upper case from ACR and storage names", () => {
    assert.equal(azureName("containerRegistry", "Tasks-Prod-ACR", "x9y8z7"), "tasksprodacrx9y8z7");
    const storage = azureName("storageAccount", "tasks-production-diagnostics-logs", "abc123");
    assert.match(storage, /^[a-z0-9]{3,24}$/);
    assert.ok(storage.endsWith("abc123"));
  });

  it("makes names that must start with a letter start with one", () => {
    assert.equal(azureName("eventHubsNamespace", "42-tasks-evh", "abcdef"), "tasks-evh-abcdef");
  });

  it("fails naming the rule when nothing valid remains", () => {
    assert.throws(() => azureName("containerRegistry", "--", "ab"), {
      message: `Cannot build a containerRegistry name from "--" and suffix "ab": needs ${azureNameRules.containerRegistry.description}`,
    });
  });
});
