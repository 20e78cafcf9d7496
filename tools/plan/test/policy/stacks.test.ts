/**
 * The gate CI enforces: every stack's mocked run passes the pack with zero mandatory violations
 * (`npm run policy -- --all`, one child process per stack). Advisory findings are printed.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { PolicyReport } from "@tasks/policies/evaluate/run";
import { runPolicyCli } from "./cli.js";

test("bootstrap, dev, prod and local pass the policy pack with zero mandatory violations", async () => {
  const { code, stdout, stderr } = await runPolicyCli(["--all", "--json"]);
  const reports = JSON.parse(stdout) as (PolicyReport | { stack: string; error: string })[];
  assert.deepEqual(
    reports.map((r) => r.stack),
    ["bootstrap", "dev", "prod", "local"],
    stderr,
  );
  for (const r of reports) {
    assert.ok(!("error" in r), `stack ${r.stack} did not run: ${"error" in r ? r.error : ""}\n${stderr}`);
    const mandatory = r.violations.filter((v) => v.level === "mandatory").map((v) => `${v.policy} ${v.resource}: ${v.message}`);
    assert.deepEqual(mandatory, [], `stack ${r.stack} has mandatory violations`);
    // The bootstrap stack is the small one: state backend, zone, and per app stack its identities and registry.
    const least = r.stack === "bootstrap" ? 50 : 100;
    assert.ok(r.resources > least, `stack ${r.stack} registered only ${r.resources} resources`);
    for (const v of r.violations) console.log(`# ${r.stack} advisory: ${v.policy} ${v.resource}: ${v.message}`);
    // The suppressions in force (policies/suppressions/<stack>.yaml): only local's two upstream images.
    const active = r.suppressions.active.map((a) => [a.policy, a.resource.split("::").pop(), a.suppressed, a.daysLeft > 0]);
    assert.deepEqual(
      active,
      r.stack === "local"
        ? [
            ["kubernetes-image-registry", "postgres-statefulset", 1, true],
            ["kubernetes-image-registry", "redpanda-statefulset", 1, true],
          ]
        : [],
      `stack ${r.stack}`,
    );
  }
  assert.equal(code, 0, stderr);
});
