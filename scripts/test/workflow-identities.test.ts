import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

/**
 * Which identity each workflow job signs in as, against what the bootstrap stack makes (stacks/src/bootstrap.ts
 * githubVariables): deployers only where a deploy runs (dev from main, prod behind the production environment),
 * read-only identities for pull-request previews and drift checks, nothing of prod's for a pull request.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
type Job = { environment?: unknown; env?: Record<string, string>; strategy?: { matrix?: { include?: Record<string, string>[] } } };
const jobs = (file: string): Record<string, Job> =>
  (parse(readFileSync(path.join(root, ".github/workflows", file), "utf8")) as { jobs: Record<string, Job> }).jobs;

/** The variables the bootstrap stack outputs for dev and prod, plus the operator's own settings. */
const bootstrapVariables = ["dev", "prod"].flatMap((s) => {
  const S = s.toUpperCase();
  return [`AZURE_CLIENT_ID_${S}`, `AZURE_CLIENT_ID_${S}_READER`, `PULUMI_BACKEND_URL_${S}`, `PULUMI_SECRETS_PROVIDER_${S}`];
});
const operatorVariables = ["AZURE_TENANT_ID", "AZURE_SUBSCRIPTION_ID", "AZURE_RUNNER", "PULUMI_ORG", "PULUMI_BACKEND_URL", "AUTO_ROLLBACK"];

describe("workflow identities", () => {
  it("pull-request previews sign in only as dev's read-only identity; prod gets no identity", () => {
    const include = jobs("preview.yml").preview!.strategy!.matrix!.include!;
    assert.deepEqual(
      include.map((m) => [m.stack, m["client-id-var"]]),
      [
        ["dev", "AZURE_CLIENT_ID_DEV_READER"],
        ["prod", ""],
      ],
    );
  });

  it("drift checks sign in as each stack's read-only identity", () => {
    const include = jobs("drift.yml").drift!.strategy!.matrix!.include!;
    assert.deepEqual(
      include.map((m) => m["client-id-var"]),
      ["AZURE_CLIENT_ID_DEV_READER", "AZURE_CLIENT_ID_PROD_READER"],
    );
  });

  it("deploys sign in as the deployers, prod's only in the production environment", () => {
    const deploy = jobs("deploy.yml");
    assert.equal(deploy.dev!.env!.ARM_CLIENT_ID, "${{ vars.AZURE_CLIENT_ID_DEV }}");
    assert.equal(deploy.prod!.env!.ARM_CLIENT_ID, "${{ vars.AZURE_CLIENT_ID_PROD }}");
    assert.equal(deploy.prod!.environment, "production");
    assert.equal(deploy.dev!.environment, undefined);
  });

  it("uses no repository variable the bootstrap stack or the operator does not set", () => {
    const used = new Set<string>();
    for (const file of ["preview.yml", "drift.yml", "deploy.yml"]) {
      const text = readFileSync(path.join(root, ".github/workflows", file), "utf8");
      for (const m of text.matchAll(/vars\.([A-Z0-9_]+)/g)) used.add(m[1]!);
      for (const m of text.matchAll(/(?:client-id-var|backend-var): ([A-Z0-9_]+)/g)) used.add(m[1]!);
    }
    assert.deepEqual(
      [...used].filter((v) => !bootstrapVariables.includes(v) && !operatorVariables.includes(v)),
      [],
    );
  });
});
