import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffPlans } from "../src/plan-diff-compare.js";
import { destructiveChanges } from "../src/plan-diff-destructive.js";
import { githubCommentLimit } from "../src/plan-diff-markdown.js";
import { destructiveExitCode, parseArgs, reportDiff } from "../src/plan-diff-cli.js";
import type { PlanResource, PlanSnapshot } from "../src/plan-diff-model.js";

/** Destructive changes first and loudly: deletes, renames, replacements (from the one replacement table), lost protection. */

const urn = (type: string, name: string, parentType?: string): string =>
  `urn:pulumi:prod::tasks-platform::${parentType ? `${parentType}$` : ""}${type}::${name}`;
const pgType = "azure-native:dbforpostgresql:Server";
const pgParent = urn("tasks:azure:PostgresServer", "tasks-prod-postgres");
const server: PlanResource = {
  urn: urn(pgType, "tasks-prod-postgres", "tasks:azure:PostgresServer"),
  type: pgType,
  name: "tasks-prod-postgres",
  parent: pgParent,
  protect: true,
  retainOnDelete: true,
  props: {
    serverName: "tasks-prod-pg-abc123",
    resourceGroupName: "rg-tasks-prod",
    location: "westeurope",
    availabilityZone: "1",
    sku: { name: "Standard_D4ds_v5", tier: "GeneralPurpose" },
    administratorLogin: "tasksadmin",
    administratorLoginPassword: { secret: true, digest: "d1" },
  },
};
const hubType = "azure-native:eventhub:EventHub";
const hub = (topic: string): PlanResource => ({
  urn: urn(hubType, `tasks-prod-events-${topic}`, "tasks:azure:EventHubs"),
  type: hubType,
  name: `tasks-prod-events-${topic}`,
  protect: true,
  props: { eventHubName: topic, namespaceName: "tasks-prod-evh", resourceGroupName: "rg-tasks-prod", partitionCount: 4 },
});
const deployment: PlanResource = {
  urn: urn("kubernetes:apps/v1:Deployment", "audit", "tasks:app:Workload"),
  type: "kubernetes:apps/v1:Deployment",
  name: "audit",
  props: { metadata: { name: "audit", namespace: "tasks" }, spec: { replicas: 3, template: { spec: { image: "acr/audit:1" } } } },
};
const policy = ["policy passed: stack prod: 88 policies over 263 resources: 0 mandatory, 0 advisory violation(s)"];
const plan = (...resources: PlanResource[]): PlanSnapshot => ({
  resources: new Map(resources.map((r) => [r.urn, r])),
  outputs: {},
  policy,
});
const base = plan(server, hub("task.created"), hub("task.created.dlq"), deployment);
const changes = (head: PlanSnapshot, from: PlanSnapshot = base) => destructiveChanges(from, head, diffPlans(from, head));

describe("destructiveChanges", () => {
  it("finds a replacement of the prod Postgres server, with the property, its values and the rule's source", () => {
    const head = plan(
      { ...server, props: { ...server.props, availabilityZone: "2" } },
      hub("task.created"),
      hub("task.created.dlq"),
      deployment,
    );
    const [d, ...rest] = changes(head);
    assert.deepEqual(rest, []);
    assert.equal(d?.kind, "replace");
    assert.equal(d?.name, "tasks-prod-postgres");
    assert.equal(d?.stateful, true);
    assert.equal(d?.protected, true);
    assert.equal(d?.holds, "the Postgres server: every service's data");
    assert.deepEqual(d?.reasons?.[0], {
      path: "availabilityZone",
      before: { masked: false, text: '"1"' },
      after: { masked: false, text: '"2"' },
      source:
        "https://github.com/danielrbradley/pulumi-azure-native-schema/blob/3b272d2e30a0761face63cacbe39535668353d22/dbforpostgresql/resources/Server.yaml (willReplaceOnChanges)",
    });
  });

  it("does not call an in-place update destructive (a bigger SKU, more replicas, a new image)", () => {
    const head = plan(
      { ...server, props: { ...server.props, sku: { name: "Standard_D8ds_v5", tier: "GeneralPurpose" } } },
      hub("task.created"),
      hub("task.created.dlq"),
      { ...deployment, props: { ...deployment.props, spec: { replicas: 5, template: { spec: { image: "acr/audit:2" } } } } },
    );
    assert.deepEqual(changes(head), []);
  });

  it("finds a deleted hub, stateful, and masks a changed secret that forces nothing", () => {
    const head = plan(
      { ...server, props: { ...server.props, administratorLoginPassword: { secret: true, digest: "d2" } } },
      hub("task.created"),
      deployment,
    );
    assert.deepEqual(
      changes(head).map((d) => [d.kind, d.name, d.stateful]),
      [["delete", "tasks-prod-events-task.created.dlq", true]],
    );
  });

  it("finds a rename (new logical name, same cloud identity) and a re-parented resource as delete + create", () => {
    const renamed = { ...server, urn: urn(pgType, "postgres", "tasks:azure:PostgresServer"), name: "postgres" };
    const moved = { ...deployment, urn: urn("kubernetes:apps/v1:Deployment", "audit", "tasks:app:ServiceWorkload"), parent: "urn:x::y" };
    const list = changes(plan(renamed, hub("task.created"), hub("task.created.dlq"), moved));
    assert.deepEqual(
      list.map((d) => [d.kind, d.name, d.to?.name, d.stateful]),
      [
        ["rename", "tasks-prod-postgres", "postgres", true],
        ["rename", "audit", "audit", false],
      ],
    );
  });

  it("flags a resource that loses its protection; a stateless resource replaced loses nothing and is not flagged", () => {
    const head = plan({ ...server, protect: false }, hub("task.created"), hub("task.created.dlq"), {
      ...deployment,
      props: { ...deployment.props, metadata: { name: "audit2", namespace: "tasks" } },
    });
    assert.deepEqual(
      changes(head).map((d) => [d.kind, d.name]),
      [["unprotect", "tasks-prod-postgres"]],
    );
  });
});

describe("plan:diff report", () => {
  const args = parseArgs(["--stack", "prod", "--base", "main", "--fail-on-destructive", "--accept-label", "destructive-change-approved"]);
  const replaceHead = plan(
    { ...server, props: { ...server.props, availabilityZone: "2" } },
    hub("task.created"),
    hub("task.created.dlq"),
    deployment,
  );

  it("exits 3 with --fail-on-destructive when something is destroyed, 0 without the flag or without destruction", () => {
    assert.equal(reportDiff(base, replaceHead, args, "main (1111111)", "head").code, destructiveExitCode);
    assert.equal(destructiveExitCode, 3);
    const lenient = parseArgs(["--stack", "prod", "--base", "main"]);
    assert.equal(reportDiff(base, replaceHead, lenient, "main", "head").code, 0);
    assert.equal(reportDiff(base, base, args, "main", "head").code, 0);
  });

  it("puts the summary, the destructive changes and the policy verdict first, and collapses the details", () => {
    const md = reportDiff(base, replaceHead, args, "main (1111111)", "head").markdown;
    const at = (s: string): number => {
      const i = md.indexOf(s);
      assert.ok(i >= 0, `missing: ${s}`);
      return i;
    };
    assert.ok(at("**🛑 1 destructive change** · **0 to add · 1 to change") < at("> [!CAUTION]"));
    assert.ok(at("> [!CAUTION]") < at("### Destructive changes (1)"));
    assert.ok(at("### Destructive changes (1)") < at("### Policy pack (head)"));
    assert.ok(at("### Policy pack (head)") < at("<details><summary><b>To change (1)</b>"));
    assert.match(
      md,
      /\| 🛑 \| \*\*replace \(delete \+ create\)\*\* \| <code>azure-native:dbforpostgresql:Server<\/code> <b>tasks-prod-postgres<\/b> \(stateful, protected\) \| <code>availabilityZone<\/code>: <code>"1"<\/code> → <code>"2"<\/code> forces a new resource \(\[source\]\(https:\/\/github\.com\/danielrbradley\/pulumi-azure-native-schema\/blob\/[0-9a-f]+\/dbforpostgresql\/resources\/Server\.yaml\), willReplaceOnChanges\)<br>\*the Postgres server: every service's data\* \|/,
    );
    assert.match(md, /\*\*1 destructive change, 1 of them to a stateful resource\.\*\*/);
    assert.match(md, /1 of them hits a protected resource: `pulumi up` refuses until someone runs `pulumi state unprotect`/);
    assert.match(md, /adds the label `destructive-change-approved`/);
    assert.match(md, /policy passed: stack prod: 88 policies/);
  });

  it("stays under GitHub's comment limit with a huge diff, destructive changes and policy verdict still at the top", () => {
    const many: PlanResource[] = [];
    for (let i = 0; i < 4000; i++)
      many.push({
        ...hub(`topic-${String(i).padStart(4, "0")}`),
        props: { ...hub("x").props, eventHubName: `t${i}`, note: "n".repeat(200) },
      });
    const huge = plan(server, ...many);
    const gone = plan({ ...server, props: { ...server.props, availabilityZone: "3" } });
    for (const [from, to] of [
      [huge, gone],
      [gone, huge],
      [huge, plan(server, ...many.map((r) => ({ ...r, props: { ...r.props, note: "m".repeat(300) } })))],
    ] as const) {
      const report = reportDiff(from, to, parseArgs(["--stack", "prod", "--base", "main", "--max-chars", "65536"]), "main", "head");
      const md = report.markdown;
      assert.ok(md.length <= githubCommentLimit, `length ${md.length}`);
      assert.ok(md.length > 50_000, "uses the room it has");
      assert.equal((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length, "no block left open");
      assert.ok(
        md.indexOf("### Policy pack (head)") > 0 && md.indexOf("### Policy pack (head)") < 55_000,
        "the policy verdict is not pushed out",
      );
      if (report.destructive.length > 0) assert.ok(md.indexOf("### Destructive changes") < 1_500);
      assert.match(md, /entries not shown\. Run `npm run plan:diff -- --stack prod --base <ref>` for the full diff\.\n$/);
      assert.ok(report.full().length > md.length, "the full markdown (the artifact) has everything");
    }
  });
});
