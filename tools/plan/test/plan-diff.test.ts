import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { diffPlans, diffValues } from "../src/plan-diff-compare.js";
import { commentMarker, renderMarkdown } from "../src/plan-diff-markdown.js";
import { parsePlanJson, withRootReplaced, type PlanResource, type PlanSnapshot } from "../src/plan-diff-model.js";
import { addWorktree, linkNodeModules, resolveCommit, sameLockfile } from "../src/plan-diff-worktree.js";
import { parseArgs } from "../src/plan-diff-cli.js";

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures", "plan-diff");
const load = (name: string): PlanSnapshot => parsePlanJson(readFileSync(path.join(fixtures, name), "utf8"), name);
const urn = (type: string, name: string): string => `urn:pulumi:dev::tasks-platform::${type}::${name}`;
const deployment = urn("tasks:app:Workload$kubernetes:apps/v1:Deployment", "audit");
const vaultSecret = urn("azure-native:keyvault:Secret", "eventhubs-connection-string");
const pubsub = urn("kubernetes:dapr.io/v1alpha1:Component", "pubsub");
const render = (base: PlanSnapshot, head: PlanSnapshot, maxChars?: number): string =>
  renderMarkdown(diffPlans(base, head), {
    stack: "dev",
    baseLabel: "main (1111111)",
    headLabel: "working tree (2222222)",
    ...(maxChars ? { maxChars } : {}),
  });

describe("parsePlanJson", () => {
  it("reads resources by URN with their inputs and drops secret values", () => {
    const plan = load("base.json");
    assert.equal(plan.resources.size, 5);
    const secret = plan.resources.get(vaultSecret);
    assert.ok(secret);
    const value = (secret.props.properties as Record<string, Record<string, unknown>>).value;
    assert.equal(value?.secret, true);
    assert.equal("value" in (value ?? {}), false, "the plaintext must not survive parsing");
    assert.doesNotMatch(JSON.stringify([...plan.resources.values()]), /base-plaintext/);
    assert.doesNotMatch(JSON.stringify(plan.outputs), /base-kubeconfig-plaintext/);
    assert.equal(plan.resources.get(deployment)?.parent, "urn:pulumi:dev::tasks-platform::tasks:app:Workload::audit");
  });

  it("accepts a bare resource array and takes the name from the URN when it is missing", () => {
    const plan = parsePlanJson(
      JSON.stringify([
        {
          urn: urn("random:index/randomPassword:RandomPassword", "pg"),
          type: "random:index/randomPassword:RandomPassword",
          state: { length: 32 },
        },
      ]),
      "bare",
    );
    const r = [...plan.resources.values()][0];
    assert.equal(r?.name, "pg");
    assert.deepEqual(r?.props, { length: 32 });
  });

  it("names the source and the problem when the plan output is not usable", () => {
    assert.throws(
      () => parsePlanJson("> tasks-platform@ plan\n{", "base abc1234"),
      (e: Error) =>
        e.message.startsWith("base abc1234: the plan did not print JSON (") &&
        e.message.endsWith('first 200 chars: "> tasks-platform@ plan\\n{"'),
    );
    assert.throws(() => parsePlanJson('{"outputs":{}}', "head"), { message: 'head: expected a "resources" array in the plan JSON' });
    assert.throws(() => parsePlanJson('{"resources":[{"name":"x"}]}', "head"), {
      message: 'head: resources[0] has no string "urn" and "type"',
    });
  });
});

describe("withRootReplaced", () => {
  it("makes two trees' absolute folders compare equal, at any depth, in resources and outputs", () => {
    const at = (dir: string): PlanSnapshot => ({
      resources: new Map([
        [
          "u",
          {
            urn: "u",
            type: "docker-build:index:Image",
            name: "i",
            props: { context: { location: dir }, dockerfile: { location: `${dir}/apps/Dockerfile` }, tags: [`x/${dir}`] },
          },
        ],
      ]),
      outputs: { root: dir },
    });
    const a = withRootReplaced(at("/tmp/plan-diff-abc"), "/tmp/plan-diff-abc/");
    const b = withRootReplaced(at("/work/main"), "/work/main");
    assert.deepEqual(diffPlans(a, b), { added: [], removed: [], changed: [], unchanged: 1, outputs: [] });
    assert.deepEqual(a.resources.get("u")?.props.dockerfile, { location: "<repo>/apps/Dockerfile" });
  });
});

describe("diffPlans", () => {
  const diff = diffPlans(load("base.json"), load("head.json"));

  it("lists resources added, removed and changed by URN, and counts the unchanged", () => {
    assert.deepEqual(
      diff.added.map((r) => r.name),
      ["task.commented", "task.commented.dlq"],
    );
    assert.deepEqual(
      diff.removed.map((r) => r.name),
      ["task.archived"],
    );
    assert.deepEqual(
      diff.changed.map((r) => r.urn),
      [pubsub, vaultSecret, deployment].sort(),
    );
    assert.equal(diff.unchanged, 1, "the resource group only reordered its tags");
  });

  it("lists changed properties by dotted path", () => {
    const changes = diff.changed.find((r) => r.urn === deployment)?.changes ?? [];
    assert.deepEqual(
      changes.map((c) => [c.kind, c.path, c.before, c.after]),
      [
        ["changed", "spec.replicas", { masked: false, text: "2" }, { masked: false, text: "3" }],
        ["changed", "spec.template.spec.containers[0].env[1].value", { masked: true }, { masked: true }],
        ["added", "spec.template.spec.containers[0].env[2].name", undefined, { masked: false, text: '"LOG_LEVEL"' }],
        ["added", "spec.template.spec.containers[0].env[2].value", undefined, { masked: false, text: '"info"' }],
        [
          "changed",
          "spec.template.spec.containers[0].image",
          { masked: false, text: '"tasksdevacr.azurecr.io/audit:sha-1111111"' },
          { masked: false, text: '"tasksdevacr.azurecr.io/audit:sha-2222222"' },
        ],
      ],
    );
  });

  it("reports a changed secret without its values, and masks keys that name secrets", () => {
    assert.deepEqual(diff.changed.find((r) => r.urn === vaultSecret)?.changes, [
      { path: "properties.value", kind: "changed", before: { masked: true }, after: { masked: true } },
    ]);
    assert.deepEqual(diff.changed.find((r) => r.urn === pubsub)?.changes, [
      { path: "spec.metadata[1].secretKeyRef.key", kind: "changed", before: { masked: true }, after: { masked: true } },
    ]);
    const unchangedSecret = diffValues({ a: { secret: true, value: "same" } }, { a: { secret: true, value: "same" } });
    assert.deepEqual(unchangedSecret, []);
  });

  it("masks each sensitive key pattern: password, secret, key, token, connectionString", () => {
    for (const key of ["adminPassword", "clientSecret", "primaryKey", "accessToken", "eventHubConnectionString"]) {
      assert.deepEqual(
        diffValues({ [key]: "old" }, { [key]: "new" }),
        [{ path: key, kind: "changed", before: { masked: true }, after: { masked: true } }],
        key,
      );
    }
    assert.deepEqual(diffValues({ port: 1 }, { port: 2 }), [
      { path: "port", kind: "changed", before: { masked: false, text: "1" }, after: { masked: false, text: "2" } },
    ]);
  });

  it("diffs stack outputs, masking secret ones", () => {
    assert.deepEqual(diff.outputs, [
      { name: "acrLoginServer", kind: "removed", before: { masked: false, text: '"tasksdevacr.azurecr.io"' } },
      { name: "grafanaUrl", kind: "added", after: { masked: false, text: '"https://tasks.dev.example.org/grafana"' } },
      {
        name: "ingressHost",
        kind: "changed",
        before: { masked: false, text: '"tasks.dev.example.com"' },
        after: { masked: false, text: '"tasks.dev.example.org"' },
      },
      { name: "kubeconfig", kind: "changed", before: { masked: true }, after: { masked: true } },
    ]);
  });
});

describe("renderMarkdown", () => {
  const md = render(load("base.json"), load("head.json"));

  it("starts with the stack's marker and the summary line", () => {
    assert.ok(md.startsWith(`${commentMarker("dev")}\n## Offline plan diff: \`dev\`\n`));
    assert.match(md, /\*\*2 to add · 3 to change · 1 to delete · 1 unchanged\*\* · 4 stack outputs changed/);
    assert.ok(md.indexOf("<b>To delete (1)</b>") < md.indexOf("<b>To change (3)</b>"));
    assert.ok(md.indexOf("<b>To change (3)</b>") < md.indexOf("<b>To add (2)</b>"));
    assert.equal((md.match(/<details>/g) ?? []).length, (md.match(/<\/details>/g) ?? []).length, "every block is closed");
  });

  it("shows property changes in a table and never a secret's plaintext", () => {
    assert.match(md, /\| ~ \| <code>spec\.replicas<\/code> \| <code>2<\/code> \| <code>3<\/code> \|/);
    assert.match(md, /\| ~ \| <code>spec\.template\.spec\.containers\[0\]\.env\[1\]\.value<\/code> \| \*\[secret\]\* \| \*\[secret\]\* \|/);
    for (const plain of ["hunter2", "plaintext", "eventhubs-connection-string-v2"]) assert.doesNotMatch(md, new RegExp(plain), plain);
  });

  it("says so when nothing changed", () => {
    const plan = load("base.json");
    assert.ok(render(plan, plan).endsWith("**0 to add · 0 to change · 0 to delete · 5 unchanged**\n\nNo resource or output changes.\n"));
  });

  it("escapes table-breaking characters in values", () => {
    const base: PlanSnapshot = { resources: new Map([["u", { urn: "u", type: "t", name: "n", props: { a: "x" } }]]), outputs: {} };
    const head: PlanSnapshot = { resources: new Map([["u", { urn: "u", type: "t", name: "n", props: { a: "a|b\n<c>" } }]]), outputs: {} };
    assert.match(render(base, head), /<code>"a&#124;b\\n&lt;c&gt;"<\/code>/);
  });

  it("truncates whole entries to stay under the limit and says how many were left out", () => {
    const many = new Map<string, PlanResource>();
    for (let i = 0; i < 3000; i++) {
      const u = urn("kubernetes:core/v1:ConfigMap", `dashboard-${String(i).padStart(4, "0")}`);
      many.set(u, { urn: u, type: "kubernetes:core/v1:ConfigMap", name: `dashboard-${i}`, props: { data: { i } } });
    }
    const changedHead = new Map([...many].map(([u, r]) => [u, { ...r, props: { data: { i: -1 } } }]));
    for (const [head, base] of [
      [
        { resources: many, outputs: {} },
        { resources: new Map(), outputs: {} },
      ],
      [
        { resources: changedHead, outputs: {} },
        { resources: many, outputs: {} },
      ],
    ] as const) {
      const out = render(base, head);
      assert.ok(out.length <= 60_000, `length ${out.length}`);
      const note = out.match(
        /(\d+) of 3000 entries not shown\. Run `npm run plan:diff -- --stack dev --base <ref>` for the full diff\.\n$/,
      );
      assert.ok(note, out.slice(-400));
      const shownRows = (out.match(/dashboard-/g) ?? []).length;
      assert.equal(Number(note[1]), 3000 - shownRows);
      assert.equal((out.match(/<details>/g) ?? []).length, (out.match(/<\/details>/g) ?? []).length, "no block left open");
      assert.ok(out.length > 55_000, "uses the room it has");
    }
    assert.ok(render({ resources: new Map(), outputs: {} }, { resources: many, outputs: {} }, 65_536).length <= 65_536);
  });

  it("cuts a long value and caps the rows of one resource", () => {
    const props = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${String(i).padStart(2, "0")}`, "v".repeat(300)]));
    const base: PlanSnapshot = { resources: new Map([["u", { urn: "u", type: "t", name: "n", props: {} }]]), outputs: {} };
    const head: PlanSnapshot = { resources: new Map([["u", { urn: "u", type: "t", name: "n", props }]]), outputs: {} };
    const out = render(base, head);
    assert.match(out, new RegExp(`<code>"${"v".repeat(119)}…</code>`));
    assert.match(out, /\*… 10 more properties not shown\*/);
  });
});

describe("parseArgs", () => {
  it("reads the options and rejects bad ones with a message naming the option", () => {
    assert.deepEqual(parseArgs(["--stack", "prod", "--base=origin/main"]), {
      stack: "prod",
      base: "origin/main",
      maxChars: 60000,
      install: "auto",
      failOnDestructive: false,
    });
    assert.deepEqual(
      parseArgs(["--stack", "prod", "--base", "x", "--fail-on-destructive", "--full-output", "f.md", "--accept-label", "ok"]),
      { stack: "prod", base: "x", maxChars: 60000, install: "auto", failOnDestructive: true, fullOutput: "f.md", acceptLabel: "ok" },
    );
    assert.throws(() => parseArgs(["--stack", "qa", "--base", "x"]), {
      message: '--stack must be one of bootstrap, dev, prod, local (got "qa")',
    });
    assert.throws(() => parseArgs(["--stack", "dev"]), { message: "--base <git-ref> is required, e.g. --base origin/main" });
    assert.throws(() => parseArgs(["--stack", "dev", "--base", "x", "--install", "copy"]), {
      message: '--install must be auto, link or ci (got "copy")',
    });
    assert.throws(() => parseArgs(["--stack", "dev", "--base", "x", "--max-chars", "70000"]), {
      message: "--max-chars must be an integer from 2000 to 65536",
    });
    assert.throws(() => parseArgs(["--stack", "dev", "--base"]), { message: "--base needs a value" });
    assert.throws(() => parseArgs(["--stack", "dev", "--bsae", "x"]), { message: "Unknown option --bsae" });
  });
});

describe("worktree helpers", () => {
  const tmp = (): string => realpathSync(mkdtempSync(path.join(os.tmpdir(), "plan-diff-test-")));
  const sh = (cwd: string, ...args: string[]): string => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();

  it("adds a detached worktree of a commit and removes it completely, even twice", async () => {
    const repo = tmp();
    try {
      sh(repo, "init", "-q");
      writeFileSync(path.join(repo, "package-lock.json"), '{"v":1}\n');
      sh(repo, "add", ".");
      sh(repo, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "one");
      const commit = resolveCommit(repo, "HEAD");
      assert.throws(() => resolveCommit(repo, "nope"), {
        message: `--base "nope" does not name a commit in ${repo} (fetch it first, e.g. git fetch origin nope)`,
      });
      const tree = await addWorktree(repo, commit);
      assert.equal(readFileSync(path.join(tree.dir, "package-lock.json"), "utf8"), '{"v":1}\n');
      assert.equal(sameLockfile(repo, commit), true);
      writeFileSync(path.join(repo, "package-lock.json"), '{"v":2}\n');
      assert.equal(sameLockfile(repo, commit), false);
      tree.remove();
      tree.remove();
      assert.equal(existsSync(tree.dir), false);
      assert.equal(sh(repo, "worktree", "list").split("\n").length, 1);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it("links installed packages but points workspace links at the worktree's own sources", () => {
    const src = tmp();
    const dst = tmp();
    try {
      writeFileSync(path.join(src, "package.json"), JSON.stringify({ workspaces: ["catalog", "apps/*"] }));
      for (const root of [src, dst]) mkdirSync(path.join(root, "catalog"), { recursive: true });
      writeFileSync(path.join(src, "catalog", "which.txt"), "src");
      writeFileSync(path.join(dst, "catalog", "which.txt"), "dst");
      mkdirSync(path.join(src, "node_modules", "@tasks"), { recursive: true });
      mkdirSync(path.join(src, "node_modules", "yaml"));
      writeFileSync(path.join(src, "node_modules", "yaml", "index.js"), "yaml");
      symlinkSync("../../catalog", path.join(src, "node_modules", "@tasks", "catalog"));
      mkdirSync(path.join(src, "apps", "audit", "node_modules", "pg"), { recursive: true });
      mkdirSync(path.join(dst, "apps", "audit"), { recursive: true });
      const n = linkNodeModules(src, dst);
      assert.equal(n, 3);
      assert.equal(readFileSync(path.join(dst, "node_modules", "@tasks", "catalog", "which.txt"), "utf8"), "dst");
      assert.equal(realpathSync(path.join(dst, "node_modules", "yaml")), path.join(src, "node_modules", "yaml"));
      assert.equal(
        realpathSync(path.join(dst, "apps", "audit", "node_modules", "pg")),
        path.join(src, "apps", "audit", "node_modules", "pg"),
      );
    } finally {
      rmSync(src, { recursive: true, force: true });
      rmSync(dst, { recursive: true, force: true });
    }
  });
});
