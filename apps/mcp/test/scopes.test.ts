/** Which tokens satisfy MCP_SCOPES: Entra's `scp` (short values) and `scope`, any one configured scope. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { grantedScopes, hasRequiredScope } from "../src/authorization.js";

const full = "api://11111111-2222-3333-4444-555555555555/tasks-dev-mcp/Tasks.ReadWrite";

describe("mcp scopes", () => {
  test("granted scopes come from scp and scope, space-separated, without empties or duplicates", () => {
    assert.deepEqual(grantedScopes({ scp: "Tasks.ReadWrite  User.Read", scope: "openid Tasks.ReadWrite" }), [
      "Tasks.ReadWrite",
      "User.Read",
      "openid",
    ]);
    assert.deepEqual(grantedScopes({ scp: ["Tasks.ReadWrite"], scope: 3 }), []);
  });

  test("a configured scope is met by itself or by Entra's value of it; any one of several suffices; none configured = any token", () => {
    assert.equal(hasRequiredScope(["Tasks.ReadWrite"], [full]), true);
    assert.equal(hasRequiredScope([full], [full]), true);
    assert.equal(hasRequiredScope(["User.Read"], [full, "offline_access"]), false);
    assert.equal(hasRequiredScope(["offline_access"], [full, "offline_access"]), true);
    assert.equal(hasRequiredScope(["ReadWrite"], [full]), false, "a suffix of the value is not the value");
    assert.equal(hasRequiredScope(["tasks-dev-mcp/Tasks.ReadWrite"], [full]), false);
    assert.equal(hasRequiredScope([], [full]), false);
    assert.equal(hasRequiredScope([], []), true);
    assert.equal(hasRequiredScope([], undefined), true);
  });
});
