import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseArgs, reportDiff } from "@tasks/plan/plan-diff-cli";
import type { PlanResource, PlanSnapshot } from "@tasks/plan/plan-diff-model";

/** scripts/pr-comment.sh compose: the preview comment stays under GitHub's 65,536 characters, verdicts first. */

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../pr-comment.sh");
const dir = mkdtempSync(path.join(os.tmpdir(), "pr-comment-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

const compose = (...args: string[]): string => execFileSync("bash", [script, "compose", ...args], { encoding: "utf8", maxBuffer: 1 << 24 });
const file = (name: string, text: string): string => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

const server: PlanResource = {
  urn: "urn:pulumi:prod::tasks-platform::tasks:azure:PostgresServer$azure-native:dbforpostgresql:Server::tasks-prod-postgres",
  type: "azure-native:dbforpostgresql:Server",
  name: "tasks-prod-postgres",
  protect: true,
  props: { serverName: "pg", availabilityZone: "1" },
};
const hubs = (note: string): PlanResource[] =>
  Array.from({ length: 3000 }, (_, i) => ({
    urn: `urn:pulumi:prod::tasks-platform::azure-native:eventhub:EventHub::hub-${i}`,
    type: "azure-native:eventhub:EventHub",
    name: `hub-${i}`,
    props: { eventHubName: `t${i}`, namespaceName: "ns", note },
  }));
const plan = (...r: PlanResource[]): PlanSnapshot => ({
  resources: new Map(r.map((x) => [x.urn, x])),
  outputs: {},
  policy: ["policy passed: 88 policies"],
});

/** What the workflows run: plan:diff with --max-chars 40000 beside a preview, then compose. */
const hugeDiff = reportDiff(
  plan(server, ...hubs("a".repeat(200))),
  plan({ ...server, props: { ...server.props, availabilityZone: "2" } }, ...hubs("b".repeat(200))),
  parseArgs(["--stack", "prod", "--base", "main", "--max-chars", "40000", "--fail-on-destructive"]),
  "main (1111111)",
  "head",
).markdown;

describe("scripts/pr-comment.sh compose", () => {
  it("keeps a huge diff and a huge preview under 65,536 characters, with the verdicts at the top and every block closed", () => {
    const preview = file(
      "preview.txt",
      `${"~".repeat(8)} fence breaker\n${"Previewing update (prod):\n  ~ azure-native:eventhub:EventHub hub update [diff: ~note]\n".repeat(40_000)}`,
    );
    const body = compose(
      "--stack",
      "prod",
      "--diff",
      file("diff.md", hugeDiff),
      "--preview",
      preview,
      "--preview-title",
      "pulumi preview --diff (failure)",
      "--artifact-url",
      "https://github.com/o/r/actions/runs/1",
    );
    assert.ok(Buffer.byteLength(body) <= 65_536, `${Buffer.byteLength(body)} bytes`);
    assert.ok(body.length > 60_000, "uses the room it has");
    assert.ok(body.startsWith("<!-- plan-diff:prod -->\n## Offline plan diff: `prod`"));
    assert.equal(body.split("<!-- plan-diff:prod -->").length, 2, "one marker");
    const at = (s: string): number => body.indexOf(s);
    assert.ok(at("**🛑 1 destructive change**") > 0 && at("**🛑 1 destructive change**") < at("### Destructive changes (1)"));
    assert.ok(at("### Destructive changes (1)") < at("### Policy pack (head)"));
    assert.ok(at("### Policy pack (head)") < at("<details><summary>pulumi preview --diff (failure)</summary>"));
    assert.equal((body.match(/<details>/g) ?? []).length, (body.match(/<\/details>/g) ?? []).length, "no block left open");
    assert.equal((body.match(/^~~~~/gm) ?? []).length, 2, "the preview cannot close its fence");
    assert.match(body, /\[… \d+ of \d+ bytes cut to stay under the comment limit; the full text is in the artifact\]\n~~~~\n<\/details>\n/);
    assert.ok(body.endsWith("\nThe full plan diff and preview output: https://github.com/o/r/actions/runs/1\n"));
  });

  it("closes a diff it had to cut (an oversized or hostile artifact) and keeps it whole when it fits", () => {
    const open = `<!-- plan-diff:dev -->\n## x\n\n\`\`\`text\n${"policy line\n".repeat(20)}\`\`\`\n\n<details><summary>a</summary>\n\n${"| row |\n".repeat(20_000)}</details>\n`;
    const body = compose("--stack", "dev", "--diff", file("open.md", open));
    assert.ok(Buffer.byteLength(body) <= 65_536);
    assert.ok(body.endsWith("</details>\n"), body.slice(-200));
    assert.equal((body.match(/<details>/g) ?? []).length, (body.match(/<\/details>/g) ?? []).length);
    const small = compose(
      "--stack",
      "dev",
      "--intro",
      "_from a fork_",
      "--diff",
      file("small.md", "<!-- plan-diff:dev -->\n## Offline plan diff\n"),
    );
    assert.equal(small, "<!-- plan-diff:dev -->\n_from a fork_\n\n## Offline plan diff\n");
  });

  it("refuses a bad stack name or a missing diff", () => {
    assert.throws(() => compose("--stack", "prod; rm -rf /", "--diff", file("d.md", "")), /--stack must be a stack name/);
    assert.throws(() => compose("--stack", "prod", "--diff", path.join(dir, "missing.md")), /--diff: no file/);
  });
});
