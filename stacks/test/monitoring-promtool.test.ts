/**
 * The alert rules and Alertmanager configs the stacks generate, checked by the Prometheus tools themselves
 * (Debian's prometheus and prometheus-alertmanager packages; scripts/install-ci-tools.sh installs them):
 * - `promtool check rules` and `promtool test rules` on the PrometheusRule of the mocked dev run: every alert
 *   fires on its synthetic series and stays silent on a healthy platform's (infra/src/k8s/monitoring/rule-tests.ts);
 *   the same tests against rules whose thresholds can never be met must fail, so they test the rules;
 * - `amtool check-config` and `amtool config routes test` on each stack's Alertmanager config (the
 *   kube-prometheus-stack release's values): critical, warning, Watchdog and info reach the right receivers.
 * Without the tools the file fails in CI and skips elsewhere.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { stringify } from "yaml";
import { alertTests, promtoolTestFile, untestedAlerts, type AlertRule } from "@tasks/infra/k8s/index";
import { runStackMocked, type MockedRun } from "../src/offline/mocked-run.js";
import { manifestsOf, releasesOf } from "../src/offline/render-manifests.js";

const tools = ["promtool", "amtool"].filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
const missing = tools.length ? `missing ${tools.join(", ")} (apt-get install prometheus prometheus-alertmanager)` : undefined;
if (missing && process.env.CI) throw new Error(`monitoring tools: ${missing}; CI installs them with scripts/install-ci-tools.sh`);

const run = (cmd: string, args: string[], cwd: string) => {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
};

let dir: string;
const runs: Partial<Record<"dev" | "prod" | "local", MockedRun>> = {};
before(
  async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tasks-monitoring-"));
    for (const stack of ["dev", "prod", "local"] as const) runs[stack] = await runStackMocked(stack);
  },
  { timeout: 300_000 },
);
after(() => rmSync(dir, { recursive: true, force: true }));

function ruleGroups(r: MockedRun): { name: string; rules: AlertRule[] }[] {
  const rules = manifestsOf(r.resources).filter((m) => m.kind === "PrometheusRule");
  assert.equal(rules.length, 1, "one PrometheusRule");
  return (rules[0]!.spec as { groups: { name: string; rules: AlertRule[] }[] }).groups;
}

function alertmanagerConfigOf(r: MockedRun): unknown {
  const release = releasesOf(r.resources).find((x) => x.chart === "kube-prometheus-stack");
  const config = (release?.values as { alertmanager?: { config?: unknown } } | undefined)?.alertmanager?.config;
  assert.ok(config, `${r.stack}: the kube-prometheus-stack release has an Alertmanager config`);
  return config;
}

describe("alert rules under promtool", { skip: missing }, () => {
  it("every alert of ours has a test, and the generated rules pass promtool check rules", () => {
    assert.deepEqual(untestedAlerts(), []);
    writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups: ruleGroups(runs.dev!) }, { lineWidth: 0 }));
    const check = run("promtool", ["check", "rules", "rules.yaml"], dir);
    assert.equal(check.code, 0, check.out);
    assert.match(check.out, new RegExp(`SUCCESS: ${alertTests.length} rules found`));
  });

  it("each alert fires on its synthetic series and stays silent on a healthy platform (promtool test rules)", () => {
    const groups = ruleGroups(runs.dev!);
    writeFileSync(path.join(dir, "rules.yaml"), stringify({ groups }, { lineWidth: 0 }));
    const tests = promtoolTestFile("rules.yaml", groups[0]!.rules);
    assert.equal(tests.tests.length, 2 * alertTests.length);
    writeFileSync(path.join(dir, "tests.yaml"), stringify(tests, { lineWidth: 0 }));
    const result = run("promtool", ["test", "rules", "tests.yaml"], dir);
    assert.equal(result.code, 0, result.out);
  });

  it("the same tests fail against rules whose thresholds are never met: they test the rules", () => {
    const groups = ruleGroups(runs.dev!);
    const never = groups.map((g) => ({ ...g, rules: g.rules.map((r) => ({ ...r, expr: `(${r.expr}) > 1e12` })) }));
    writeFileSync(path.join(dir, "never.yaml"), stringify({ groups: never }, { lineWidth: 0 }));
    writeFileSync(path.join(dir, "never-tests.yaml"), stringify(promtoolTestFile("never.yaml", never[0]!.rules), { lineWidth: 0 }));
    const result = run("promtool", ["test", "rules", "never-tests.yaml"], dir);
    assert.notEqual(result.code, 0);
    for (const t of alertTests) assert.match(result.out, new RegExp(`alertname: ${t.alert},`), `${t.alert} must fail`);
  });
});

describe("Alertmanager config under amtool", { skip: missing }, () => {
  const routes = (file: string, labels: string[]) =>
    run("amtool", ["config", "routes", "test", `--config.file=${file}`, ...labels], dir).stdout.trim();

  for (const stack of ["dev", "prod", "local"] as const) {
    it(`${stack}: amtool check-config accepts it, and each severity reaches its receivers`, () => {
      const file = `alertmanager-${stack}.yaml`;
      writeFileSync(path.join(dir, file), stringify(alertmanagerConfigOf(runs[stack]!), { lineWidth: 0 }));
      const check = run("amtool", ["check-config", file], dir);
      assert.equal(check.code, 0, check.out);
      assert.match(check.out, /SUCCESS/);
      const azure = stack !== "local";
      assert.equal(routes(file, ["severity=critical", "alertname=TasksOutboxLagHigh", "service=tasks-api"]), "critical");
      assert.equal(routes(file, ["severity=warning", "alertname=TasksReminderLate"]), "warning");
      assert.equal(routes(file, ["alertname=Watchdog", "severity=none"]), azure ? "heartbeat" : "null");
      assert.equal(routes(file, ["alertname=InfoInhibitor", "severity=none"]), "null");
      assert.equal(routes(file, ["severity=info", "alertname=KubeQuotaAlmostFull"]), "null");
    });
  }

  it("on Azure every secret is a file from Key Vault: no password or URL in the config", () => {
    const text = JSON.stringify(alertmanagerConfigOf(runs.prod!));
    assert.match(text, /"auth_password_file":"\/etc\/alertmanager\/secrets\/smtp-password"/);
    assert.match(text, /"api_url_file":"\/etc\/alertmanager\/secrets\/alert-chat-webhook-url"/);
    assert.match(text, /"credentials_file":"\/etc\/alertmanager\/secrets\/alert-heartbeat-token"/);
    assert.doesNotMatch(text, /offline-placeholder|auth_password"|api_url"/);
  });
});
