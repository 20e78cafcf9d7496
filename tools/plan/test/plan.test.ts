import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import { allBrokerTopics } from "@tasks/catalog";
import { PlanUsageError, parsePlanArgs } from "../src/plan-args.js";
import { maskSecrets } from "../src/plan-mask.js";
import { describeFailure } from "../src/plan-run.js";
import { planJson, renderOutputs, shortType } from "../src/plan-tree.js";
import type { MockedRun, RecordedResource } from "@tasks/stacks/offline/mocked-run";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const plan = (...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", "tools/plan/src/plan-cli.ts", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "" },
  });
const envelope = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };

describe("plan arguments", () => {
  it("parses a stack, --json, --render and --set", () => {
    assert.deepEqual(
      parsePlanArgs(["--stack", "prod", "--json", "--render=out", "--set", "aks={}", "--set", "azure-native:location=northeurope"]),
      {
        stack: "prod",
        json: true,
        render: "out",
        overrides: { aks: "{}", "azure-native:location": "northeurope" },
      },
    );
    assert.equal(parsePlanArgs([]), "help");
    assert.equal(parsePlanArgs(["--help"]), "help");
  });

  it("rejects an unknown stack or argument with one clear message", () => {
    assert.throws(
      () => parsePlanArgs(["--stack", "qa"]),
      new PlanUsageError('unknown stack "qa"; expected one of: bootstrap, dev, prod, local'),
    );
    assert.throws(() => parsePlanArgs(["--stak", "dev"]), new PlanUsageError('unknown argument "--stak"'));
    assert.throws(() => parsePlanArgs(["--stack"]), new PlanUsageError("--stack needs a value"));
    assert.throws(() => parsePlanArgs(["--stack", "dev", "--set", "novalue"]), new PlanUsageError('--set needs key=value, got "novalue"'));
  });
});

describe("plan failures and masking", () => {
  it("reports a missing module of a stack in one line", () => {
    const err = Object.assign(
      new Error(`Cannot find module '${root}/stacks/src/local-stack.js' imported from ${root}/stacks/src/index.ts`),
      { code: "ERR_MODULE_NOT_FOUND" },
    );
    assert.equal(
      describeFailure(err, "local"),
      "the local stack cannot be evaluated: a module it needs is missing (stacks/src/local-stack.js)",
    );
    assert.equal(
      describeFailure(Object.assign(new Error("Invalid stack config: x: y\n    at foo"), { name: "StackConfigError" }), "dev"),
      "Invalid stack config: x: y",
    );
    assert.equal(describeFailure(new Error('EventHubs "e": too many\n    at bar'), "dev"), 'the dev stack failed: EventHubs "e": too many');
  });

  it("masks secrets in inputs and outputs, at any depth", () => {
    assert.deepEqual(maskSecrets({ a: [envelope], b: { c: envelope, d: 1 } }), { a: [{ secret: true }], b: { c: { secret: true }, d: 1 } });
    const resource: RecordedResource = {
      urn: "urn:pulumi:dev::p::azure-native:keyvault:Secret::s",
      type: "azure-native:keyvault:Secret",
      name: "s",
      custom: true,
      inputs: { secretName: "jwt-signing-key", properties: envelope },
      state: {},
      protect: false,
      retainOnDelete: false,
      ignoreChanges: [],
      dependsOn: [],
      additionalSecretOutputs: [],
    };
    const run: MockedRun = {
      stack: "dev",
      resources: [resource],
      calls: [],
      outputs: { kubeconfig: { secret: true, value: "hunter2" }, host: "h" },
      unsetSecrets: [],
      exampleValues: [],
    };
    const json = JSON.stringify(planJson(run, {}));
    assert.ok(!json.includes("hunter2"));
    assert.deepEqual(renderOutputs(run.outputs), ["  kubeconfig  [secret]", "  host        h"]);
    assert.equal(shortType("azuread:index/group:Group"), "azuread:Group");
    assert.equal(shortType("azure-native:eventhub:EventHub"), "eventhub:EventHub");
  });
});

describe("npm run plan (child process)", () => {
  it("prints usage and exits 2 without --stack", () => {
    const r = plan();
    assert.equal(r.status, 2);
    assert.match(r.stdout, /^usage: npm run plan -- --stack dev\|prod\|local/);
  });

  it("stops on a config error with one line and no stack trace", () => {
    const r = plan("--stack", "dev", "--set", 'aks={"systemNodeCount":0}');
    assert.equal(r.status, 1);
    const lines = r.stderr
      .trim()
      .split("\n")
      .filter((l) => !l.includes("evaluating stack"));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0]!, /^plan: Invalid stack config: .*tasks-platform:aks\.systemNodeCount: expected an integer 1\.\.10/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it("shows prod's AKS pools on three zones and every topic with its dead-letter hub", () => {
    const r = plan("--stack", "prod");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /System pool system: \S+ x3\.\.5 \(autoscaler on\), zones 1,2,3, taint CriticalAddonsOnly=true:NoSchedule/);
    assert.match(r.stdout, /User pool user: \S+ x3\.\.12 \(autoscaler on\), zones 1,2,3/);
    for (const t of allBrokerTopics()) assert.ok(r.stdout.includes(`tasks-prod-events-${t.name}  [eventhub:EventHub]`), t.name);
    assert.match(r.stdout, /HA ZoneRedundant/);
    assert.match(r.stdout, /kubeconfig\s+\[secret\]/);
    // The MCP server's Entra registration (issue 17): its public client and what an MCP client is configured with.
    assert.match(
      r.stdout,
      /· public client \(mobile and desktop, code \+ PKCE\), redirect URIs http:\/\/localhost\/, http:\/\/localhost\/callback,/,
    );
    assert.match(
      r.stdout,
      /^ {2}mcp +resourceUrl=https:\/\/\S+\/mcp, audience=\S+, clientId=\S+, scope=api:\/\/\S+\/tasks-prod-mcp\/Tasks\.ReadWrite,/m,
    );
    assert.doesNotMatch(r.stdout, /PLAIN TEXT|LOCAL ACCOUNTS ENABLED|HAS A PASSWORD/);
    assert.match(r.stdout, /^Summary:\n {2}\d+ resources to create/m);
  });

  it("says which operator secret is unset and the command that sets it", () => {
    const r = plan("--stack", "dev");
    assert.equal(r.status, 0, r.stderr);
    assert.match(
      r.stderr,
      /^plan: tasks-platform:smtpPassword is not set in Pulumi\.dev\.yaml, so this plan used a placeholder; pulumi up stops until you run: pulumi config set --secret tasks-platform:smtpPassword <value> --stack dev$/m,
    );
  });
});
