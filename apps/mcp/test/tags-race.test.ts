/**
 * add_tags / remove_tags against a task store with tasks-api's update contract (a version per task, If-Match
 * on PATCH, 412 when the version moved): a concurrent update between the tool's read and its write is kept, a
 * task that keeps changing ends in a clear tool error, and unchanged tags write nothing. The tasks-api side of
 * the contract runs on real Postgres in apps/tasks-api/test/if-match.test.ts.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ServiceName } from "@tasks/catalog";
import type { TaskSnapshot } from "@tasks/shared";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { RefusedError, type CallOptions, type Gateway } from "../src/gateway.js";
import { createMcpServer } from "../src/server.js";
import { tagChangeAttempts } from "../src/tools.js";

const id = "0b5c1f9e-7c1a-4e0b-9a37-3a5f2d1c0e11";
const path = `/api/v1/tasks/${id}`;

/** One task and tasks-api's PATCH contract; `beforePatch` runs a concurrent writer just before each PATCH lands. */
function store(tags: string[]) {
  let task: TaskSnapshot = {
    id,
    userId: "alice",
    title: "Pack",
    description: null,
    priority: "medium",
    status: "open",
    tags,
    dueAt: null,
    timeZone: null,
    reminders: [],
    recurrence: null,
    seriesId: null,
    occurrenceAt: null,
    completedAt: null,
    createdAt: "2026-03-01T00:00:00.000Z",
    updatedAt: "2026-03-01T00:00:00.000Z",
    version: 1,
  };
  const s = {
    patches: [] as { ifMatch: string | undefined; tags: string[] }[],
    beforePatch: (_n: number) => {},
    /** Another client's update (the web app, another assistant). */
    concurrent(change: (t: TaskSnapshot) => Partial<TaskSnapshot>) {
      task = { ...task, ...change(task), version: task.version + 1 };
    },
    get task() {
      return task;
    },
    gateway: (async <T>(_app: ServiceName, method: string, p: string, _user: string, opts?: CallOptions): Promise<T> => {
      assert.equal(p, path);
      if (method === "GET") return structuredClone(task) as T;
      assert.equal(method, "PATCH");
      const body = opts?.body as { tags: string[] };
      const ifMatch = opts?.headers?.["if-match"];
      s.patches.push({ ifMatch, tags: body.tags });
      s.beforePatch(s.patches.length);
      if (ifMatch !== undefined && ifMatch !== `"${task.version}"`) throw new RefusedError(412, "The task changed since you read it.", []);
      task = { ...task, tags: body.tags, version: task.version + 1 };
      return structuredClone(task) as T;
    }) as Gateway,
  };
  return s;
}

async function callTool(gateway: Gateway, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const server = createMcpServer({ gateway, userId: "alice" });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: "test", version: "1" });
  await client.connect(b);
  try {
    return (await client.callTool({ name, arguments: args })) as CallToolResult;
  } finally {
    await client.close();
    await server.close();
  }
}
const text = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");

describe("tag tools under concurrent updates", () => {
  test("add_tags: a tag another client added between the read and the write is kept (412, re-read, reapplied)", async () => {
    const s = store(["work"]);
    s.beforePatch = (n) => {
      if (n === 1) s.concurrent((t) => ({ tags: [...t.tags, "urgent"] }));
    };
    const r = await callTool(s.gateway, "add_tags", { id, tags: ["Home"] });
    assert.notEqual(r.isError, true, text(r));
    assert.deepEqual(s.task.tags, ["work", "urgent", "home"]);
    assert.deepEqual(s.patches, [
      { ifMatch: '"1"', tags: ["work", "home"] },
      { ifMatch: '"2"', tags: ["work", "urgent", "home"] },
    ]);
    assert.deepEqual((r.structuredContent as { task: TaskSnapshot }).task.tags, ["work", "urgent", "home"]);
  });

  test("remove_tags: another client's concurrent title change and new tag survive", async () => {
    const s = store(["work", "home"]);
    s.beforePatch = (n) => {
      if (n === 1) s.concurrent((t) => ({ title: "Pack the car", tags: [...t.tags, "trip"] }));
    };
    const r = await callTool(s.gateway, "remove_tags", { id, tags: ["home"] });
    assert.notEqual(r.isError, true, text(r));
    assert.deepEqual([s.task.title, s.task.tags], ["Pack the car", ["work", "trip"]]);
  });

  test("a task that changes before every write: a tool error after the last attempt, and its tags as the others left them", async () => {
    const s = store(["work"]);
    s.beforePatch = () => s.concurrent((t) => ({ tags: [...t.tags, `t${t.version}`] }));
    const r = await callTool(s.gateway, "add_tags", { id, tags: ["home"] });
    assert.equal(r.isError, true);
    assert.match(
      text(r),
      /^Refused: The task kept changing while its tags were being changed \(3 attempts\); the tags were not changed\. Try again\.$/,
    );
    assert.equal(s.patches.length, tagChangeAttempts);
    assert.deepEqual(s.task.tags, ["work", "t1", "t2", "t3"]);
  });

  test("tags already as asked: nothing is written", async () => {
    const s = store(["work", "home"]);
    assert.notEqual((await callTool(s.gateway, "add_tags", { id, tags: ["home"] })).isError, true);
    assert.notEqual((await callTool(s.gateway, "remove_tags", { id, tags: ["trip"] })).isError, true);
    assert.deepEqual([s.patches.length, s.task.version], [0, 1]);
  });
});
