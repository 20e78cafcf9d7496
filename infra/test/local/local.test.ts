import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { initDatabasesSql } from "../../src/local/index.js";

describe("local data services", () => {
  it("creates one database per name and refuses names that are not plain identifiers", () => {
    assert.equal(initDatabasesSql(["tasks", "audit"]), "CREATE DATABASE tasks;\nCREATE DATABASE audit;\n");
    assert.throws(() => initDatabasesSql(["tasks; DROP"]), { message: 'databases: "tasks; DROP" is not a plain lower-case identifier' });
  });
});
