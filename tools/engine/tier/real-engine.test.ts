import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { rulesFor, replacementRules } from "@tasks/stacks/offline/replacements";
import { compareRuns, formatAgreement } from "../src/agreement.js";
import { readEventLog, type EngineRun } from "../src/event-log.js";
import { providerPackages } from "../src/provider-servers.js";
import { runPulumi } from "../src/pulumi-cli.js";
import { mockedReference, type MockedReference } from "../src/reference.js";
import { preview, startSession, up, type EngineSession } from "../src/session.js";
import { removeWorkspace, type StackWorkspace } from "../src/workspace.js";

/**
 * The engine tier: the real Pulumi CLI, Node language host and CrossGuard analyzer (built from Go modules)
 * run every stack's program against the mock provider servers. Each preview must agree with the stack's
 * mocked run (resources, outputs, policy violations); local is then created and a second preview must
 * propose no change; a config change that forces a replacement must show as one.
 */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const say = (m: string): void => console.log(`engine: ${m}`);
let session: EngineSession;
const workspaces: StackWorkspace[] = [];
const references = new Map<string, Promise<MockedReference>>();
const reference = (stack: string): Promise<MockedReference> => {
  if (!references.has(stack)) references.set(stack, mockedReference(repo, stack));
  return references.get(stack)!;
};

async function workspace(stack: string): Promise<StackWorkspace> {
  const ws = await session.workspace(repo, stack);
  workspaces.push(ws);
  return ws;
}

async function run(
  label: string,
  command: Promise<{ code: number; stdout: string; stderr: string; seconds: number }>,
  ws: StackWorkspace,
  log: string,
) {
  const r = await command;
  assert.equal(r.code, 0, `${label} failed:\n${`${r.stdout}\n${r.stderr}`.trim().split("\n").slice(-40).join("\n")}`);
  say(`${label}: ${r.seconds.toFixed(1)} s`);
  return { result: r, events: readEventLog(path.join(ws.dir, log)) };
}

/** Every provider resource type the engine stepped over has its replacement rules in the shared table. */
function typesWithoutRules(run: EngineRun): string[] {
  const custom = run.resources.map((r) => r.type).filter((t) => providerPackages.some((p) => t.startsWith(`${p}:`)));
  return [...new Set(custom)].filter((t) => !(t in replacementRules) && !(t.startsWith("kubernetes:") && rulesFor(t).length > 0));
}

before(async () => {
  session = await startSession(repo);
});
after(async () => {
  for (const ws of workspaces) removeWorkspace(ws);
  await session?.close();
});

describe("the real Pulumi engine, offline", { concurrency: false }, () => {
  for (const stack of ["dev", "prod", "local"]) {
    it(`previews ${stack} with the policy pack, agreeing with the mocked run`, { timeout: 600_000 }, async () => {
      const ws = await workspace(stack);
      const mocked = reference(stack);
      const { events } = await run(`preview ${stack}`, preview(ws, { eventLog: path.join(ws.dir, "preview.jsonl") }), ws, "preview.jsonl");
      const agreement = compareRuns(events, await mocked, "preview");
      say(formatAgreement(agreement));
      assert.deepEqual(agreement.disagreements, [], `the engine and the mocked run disagree on ${stack}`);
      assert.equal(events.result, "succeeded");
      assert.deepEqual(events.changes, { create: events.resources.length + 1 }, "everything is new (plus the stack)");
      assert.deepEqual(typesWithoutRules(events), [], "resource types missing from stacks/src/offline/replacements.ts");
    });
  }

  it(
    "ups local; a second preview proposes no change and agrees exactly; a bigger Postgres volume replaces its StatefulSet",
    { timeout: 900_000 },
    async () => {
      const ws = await workspace("local");
      const created = await run("up local", up(ws, { eventLog: path.join(ws.dir, "up.jsonl") }), ws, "up.jsonl");
      assert.equal(created.events.result, "succeeded");

      const again = await run(
        "second preview local",
        preview(ws, { eventLog: path.join(ws.dir, "again.jsonl"), expectNoChanges: true }),
        ws,
        "again.jsonl",
      );
      assert.deepEqual(again.events.changes, { same: again.events.resources.length + 1 }, "the second preview proposes changes");
      const agreement = compareRuns(again.events, await reference("local"), "after up");
      say(formatAgreement(agreement));
      assert.deepEqual(agreement.disagreements, []);

      await runPulumi(ws, ["config", "set", "--stack", "local", "tasks-platform:storage", '{"postgres":"6Gi","redpanda":"5Gi"}']);
      const grown = await run(
        "preview local with 6Gi Postgres",
        preview(ws, { eventLog: path.join(ws.dir, "grown.jsonl"), diff: true }),
        ws,
        "grown.jsonl",
      );
      const replaced = grown.events.resources.filter((r) => r.ops.includes("replace")).map((r) => r.urn.split("::").pop());
      assert.deepEqual(replaced, ["postgres-statefulset"]);
      console.log(
        grown.result.stdout
          .split("\n")
          .filter((l) => /replace|storage|volumeClaim/.test(l))
          .join("\n"),
      );
    },
  );
});
