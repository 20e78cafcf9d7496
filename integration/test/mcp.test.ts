/**
 * The MCP server end to end: the SDK's own client over real HTTP against the dev platform (mcp → daprd →
 * tasks-api / notifications / audit over mTLS with access control, Kafka, Postgres, the local OpenID
 * Provider). Discovery, the 401 flow, every tool's happy path and a bad input naming its field, the task
 * resource, the prompt, and user B never reaching user A's tasks. With MCP_TRANSCRIPT=<file> the JSON-RPC
 * exchange of the first session is written there.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import { actingUserPath, mcpResourceMetadataPath } from "@tasks/catalog";
import { devRedirectUri } from "@tasks/dev-platform/dev-identity";
import { signIn } from "@tasks/dev-platform/oidc-sign-in";
import { apiScope } from "@tasks/local-idp";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { eventually, useTestPlatform } from "./helpers.js";

const transcript: string[] = [];
const platform = useTestPlatform({
  tearDown: async () => {
    if (process.env.MCP_TRANSCRIPT) writeFileSync(process.env.MCP_TRANSCRIPT, `${transcript.join("\n")}\n`);
  },
});

const mcpUrl = () => new URL(`${platform().services.mcp.url}/mcp`);

/** A token for the mcp server's own audience (RFC 8707 resource = its URL), by code + PKCE. */
async function mcpToken(user: string): Promise<string> {
  const idp = platform().identity.idp;
  const set = await signIn({
    issuer: idp.issuer,
    clientId: idp.clientId,
    redirectUri: devRedirectUri,
    username: user,
    password: platform().identity.passwordOf(user),
    resource: mcpUrl().href,
    scope: `openid email ${apiScope}`,
  });
  return set.accessToken;
}

async function connect(token: string, record = false): Promise<Client> {
  const client = new Client({ name: "integration-test", version: "1.0.0" });
  const logged: typeof fetch = async (input, init) => {
    const res = await fetch(input, init);
    if (record) {
      const body = await res.clone().text();
      transcript.push(`>>> ${init?.method ?? "GET"} ${String(input)}\n${typeof init?.body === "string" ? init.body : ""}`);
      transcript.push(`<<< ${res.status}\n${body}`);
    }
    return res;
  };
  const transport = new StreamableHTTPClientTransport(mcpUrl(), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
    fetch: logged,
  });
  await client.connect(transport);
  return client;
}

const call = async (client: Client, name: string, args: Record<string, unknown>) =>
  (await client.callTool({ name, arguments: args })) as CallToolResult;
const textOf = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
function okResult<T>(r: CallToolResult): T {
  assert.notEqual(r.isError, true, textOf(r));
  assert.ok(textOf(r).length > 0, "a short text next to the structured result");
  return r.structuredContent as T;
}
function errorNaming(r: CallToolResult, field: string | RegExp): void {
  assert.equal(r.isError, true, `expected a tool error, got ${textOf(r)}`);
  assert.match(textOf(r), typeof field === "string" ? new RegExp(`\\b${field}\\b`) : field);
}

interface Task {
  id: string;
  title: string;
  status: string;
  tags: string[];
  reminders: number[];
  dueAt: string | null;
  recurrence: string | null;
  priority: string;
}

describe("mcp", { timeout: 600_000 }, () => {
  const alice = `mcp-a-${randomBytes(3).toString("hex")}`;
  const bob = `mcp-b-${randomBytes(3).toString("hex")}`;
  let a: Client;
  let b: Client;
  let recurring: Task;

  test("discovery: Protected Resource Metadata names the issuer; the issuer publishes its metadata", async () => {
    const res = await fetch(new URL(mcpResourceMetadataPath, mcpUrl()));
    assert.equal(res.status, 200);
    const prm = (await res.json()) as { resource: string; authorization_servers: string[] };
    assert.equal(prm.resource, mcpUrl().href);
    assert.deepEqual(prm.authorization_servers, [platform().identity.idp.issuer]);
    const as = await fetch(`${prm.authorization_servers[0]}/.well-known/openid-configuration`);
    assert.equal(as.status, 200);
  });

  test("401 flow: no token, the tasks API's token, a forged token: 401 with the resource_metadata pointer", async () => {
    const pointer = `resource_metadata="${new URL(mcpResourceMetadataPath, mcpUrl()).href}"`;
    const init = {
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "x", version: "1" } },
    };
    const post = (auth?: string) =>
      fetch(mcpUrl(), {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(auth ? { authorization: auth } : {}),
        },
        body: JSON.stringify(init),
      });
    for (const auth of [undefined, `Bearer ${await platform().token(alice)}`, "Bearer eyJhbGciOiJub25lIn0.e30.x"]) {
      const res = await post(auth);
      assert.equal(res.status, 401, `${auth?.slice(0, 20)}: ${res.status}`);
      assert.ok(res.headers.get("www-authenticate")?.includes(pointer), res.headers.get("www-authenticate") ?? "no header");
    }
    // The SDK client without a token cannot connect either.
    await assert.rejects(() => new Client({ name: "anon", version: "1" }).connect(new StreamableHTTPClientTransport(mcpUrl())));
    // With a token for the mcp audience, the same request initializes.
    const ok = await post(`Bearer ${await mcpToken(alice)}`);
    assert.equal(ok.status, 200, await ok.text());
  });

  test("a session: initialize, list tools (schemas), create a recurring task, list", async () => {
    a = await connect(await mcpToken(alice), true);
    b = await connect(await mcpToken(bob));
    assert.equal(a.getServerVersion()?.name, "tasks-platform");
    const { tools } = await a.listTools();
    const names = tools.map((t) => t.name).sort();
    assert.deepEqual(names, [
      "add_tags",
      "clear_reminders",
      "complete_task",
      "create_task",
      "delete_task",
      "get_task",
      "interpret_when",
      "list_unread_notifications",
      "mark_notification_read",
      "remove_tags",
      "reopen_task",
      "search_tasks",
      "set_reminders",
      "task_history",
      "update_task",
    ]);
    for (const t of tools) assert.ok(t.outputSchema, `${t.name} has an output schema`);
    assert.deepEqual(tools.find((t) => t.name === "create_task")?.inputSchema.required, ["title"]);
    const created = okResult<{ task: Task; schedule: { rrule: string; timeZone: string; next: { local: string }[] } }>(
      await call(a, "create_task", { title: "Check the build", when: "every weekday at 9am", timeZone: "Europe/Paris", tags: ["ci"] }),
    );
    recurring = created.task;
    assert.equal(created.schedule.rrule, "RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    assert.equal(created.schedule.timeZone, "Europe/Paris");
    assert.equal(created.schedule.next.length, 5);
    assert.ok(
      created.schedule.next.every((n) => /T09:00\+0[12]:00\[Europe\/Paris\]$/.test(n.local)),
      JSON.stringify(created.schedule.next),
    );
    assert.equal(recurring.recurrence, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    const listed = okResult<{ items: Task[] }>(await call(a, "search_tasks", { tags: ["ci"] }));
    assert.deepEqual(
      listed.items.map((t) => t.id),
      [recurring.id],
    );
  });

  test("each tool's happy path and a bad input naming the field", async () => {
    // search_tasks: filters, sort, paging.
    const second = okResult<{ task: Task }>(
      await call(a, "create_task", { title: "Dentist", when: "next Friday 3pm", timeZone: "America/New_York", priority: "high" }),
    ).task;
    const page = okResult<{ items: Task[]; nextCursor: string | null }>(
      await call(a, "search_tasks", { status: "open", sort: "-priority", limit: 1 }),
    );
    assert.deepEqual([page.items.length, page.items[0]?.id, typeof page.nextCursor], [1, second.id, "string"]);
    const rest = okResult<{ items: Task[] }>(
      await call(a, "search_tasks", { status: "open", sort: "-priority", limit: 1, cursor: page.nextCursor }),
    );
    assert.equal(rest.items[0]?.id, recurring.id);
    errorNaming(await call(a, "search_tasks", { limit: 0 }), "limit");

    assert.equal(okResult<{ task: Task }>(await call(a, "get_task", { id: second.id })).task.title, "Dentist");
    errorNaming(await call(a, "get_task", { id: "nope" }), "id");

    errorNaming(await call(a, "create_task", { title: "" }), "title");
    errorNaming(await call(a, "create_task", { title: "x", when: "at 9", timeZone: "Europe/Paris" }), /when: .*ambiguous/);
    errorNaming(await call(a, "create_task", { title: "x", when: "tomorrow 5pm" }), "timeZone");

    const updated = okResult<{ task: Task; schedule: { kind: string } }>(
      await call(a, "update_task", { id: second.id, when: "tomorrow 5pm", timeZone: "Europe/Paris" }),
    );
    assert.equal(updated.schedule.kind, "once");
    errorNaming(await call(a, "update_task", { id: second.id, priority: "whenever" }), "priority");

    assert.deepEqual(okResult<{ task: Task }>(await call(a, "add_tags", { id: second.id, tags: ["Health", "errands"] })).task.tags.sort(), [
      "errands",
      "health",
    ]);
    assert.deepEqual(okResult<{ task: Task }>(await call(a, "remove_tags", { id: second.id, tags: ["errands"] })).task.tags, ["health"]);
    errorNaming(await call(a, "add_tags", { id: second.id, tags: [] }), "tags");

    assert.deepEqual(
      okResult<{ task: Task }>(await call(a, "set_reminders", { id: second.id, minutesBefore: [15, 60] })).task.reminders,
      [60, 15],
    );
    errorNaming(await call(a, "set_reminders", { id: second.id, minutesBefore: [-1] }), "minutesBefore");
    assert.deepEqual(okResult<{ task: Task }>(await call(a, "clear_reminders", { id: second.id })).task.reminders, []);
    errorNaming(await call(a, "clear_reminders", { id: 7 }), "id");

    const preview = okResult<{ rrule: string; next: unknown[] }>(
      await call(a, "interpret_when", { when: "the first Monday of every month", timeZone: "Australia/Sydney" }),
    );
    assert.equal(preview.rrule, "RRULE:FREQ=MONTHLY;BYDAY=1MO");
    errorNaming(await call(a, "interpret_when", { when: "every blue moon", timeZone: "Europe/Paris" }), /when: Could not understand/);
    errorNaming(await call(a, "interpret_when", { when: "tomorrow", timeZone: "Mars/Olympus" }), "timeZone");

    // The platform's own validation comes back naming its field.
    const noDue = okResult<{ task: Task }>(await call(a, "create_task", { title: "Someday" })).task;
    errorNaming(await call(a, "set_reminders", { id: noDue.id, minutesBefore: [5] }), "reminders");

    assert.equal(okResult<{ task: Task }>(await call(a, "complete_task", { id: second.id })).task.status, "completed");
    errorNaming(await call(a, "complete_task", {}), "id");
    assert.equal(okResult<{ task: Task }>(await call(a, "reopen_task", { id: second.id })).task.status, "open");
    errorNaming(await call(a, "reopen_task", { id: "x" }), "id");
    assert.equal(okResult<{ task: Task }>(await call(a, "complete_task", { id: second.id })).task.status, "completed");

    // task_history: the audit service consumed the task's events.
    const history = await eventually("the audit trail of the task", 60_000, async () => {
      const h = okResult<{ items: { action: string }[] }>(await call(a, "task_history", { id: second.id }));
      return h.items.length >= 3 ? h : undefined;
    });
    assert.ok(
      history.items.some((e) => e.action === "completed"),
      JSON.stringify(history.items.map((e) => e.action)),
    );
    errorNaming(await call(a, "task_history", { id: "x" }), "id");

    assert.equal(okResult<{ deleted: string }>(await call(a, "delete_task", { id: noDue.id })).deleted, noDue.id);
    errorNaming(await call(a, "get_task", { id: noDue.id }), /Not found/);
    errorNaming(await call(a, "delete_task", { id: "" }), "id");

    // The task resource and the prompt.
    const res = await a.readResource({ uri: `task://${recurring.id}` });
    assert.equal(JSON.parse((res.contents[0] as { text: string }).text).id, recurring.id);
    const prompt = await a.getPrompt({ name: "plan_my_day", arguments: { timeZone: "Europe/Paris" } });
    assert.match((prompt.messages[0]?.content as { text: string }).text, /Plan my day/);
  });

  test("unread notifications (a real in-app reminder) and mark read", async () => {
    // Reminders are whole minutes before the due time: due in 62 s with a 1-minute reminder fires ~2 s from now.
    const due = new Date(Date.now() + 62_000).toISOString();
    okResult(await call(a, "create_task", { title: "Stand up", dueAt: due, timeZone: "UTC", reminders: [1] }));
    const unread = await eventually("an unread in-app notification", 60_000, async () => {
      const r = okResult<{ items: { id: string }[] }>(await call(a, "list_unread_notifications", {}));
      return r.items.length > 0 ? r.items : undefined;
    });
    assert.equal(okResult<{ read: string }>(await call(a, "mark_notification_read", { id: unread[0]!.id })).read, unread[0]!.id);
    const after = okResult<{ items: { id: string }[] }>(await call(a, "list_unread_notifications", {}));
    assert.ok(!after.items.some((n) => n.id === unread[0]!.id));
    errorNaming(await call(a, "mark_notification_read", { id: "1" }), "id");
    errorNaming(await call(a, "list_unread_notifications", { limit: 1000 }), "limit");
  });

  test("If-Match crosses Dapr to tasks-api: through the mcp sidecar a stale version is 412, the current one applies", async () => {
    const task = okResult<{ task: Task & { userId: string; version: number } }>(
      await call(a, "create_task", { title: "Race", tags: ["one"] }),
    ).task;
    const mcp = platform().services.mcp;
    const patch = (ifMatch: string) =>
      fetch(`http://127.0.0.1:${mcp.daprHttpPort}/v1.0/invoke/tasks-api/method${actingUserPath(task.userId, `/api/v1/tasks/${task.id}`)}`, {
        method: "PATCH",
        headers: { "content-type": "application/json", "dapr-api-token": mcp.daprApiToken!, "if-match": ifMatch },
        body: JSON.stringify({ tags: ["two"] }),
      });
    const stale = await patch(`"${task.version + 1}"`);
    assert.equal(stale.status, 412, await stale.text());
    const applied = await patch(`"${task.version}"`);
    assert.equal(applied.status, 200, await applied.clone().text());
    assert.equal(applied.headers.get("etag"), `"${task.version + 1}"`);
    // The tag tools re-read and reapply on top of that change.
    assert.deepEqual(okResult<{ task: Task }>(await call(a, "add_tags", { id: task.id, tags: ["three"] })).task.tags.sort(), [
      "three",
      "two",
    ]);
  });

  test("user B never reaches user A's tasks", async () => {
    const id = recurring.id;
    errorNaming(await call(b, "get_task", { id }), /Not found/);
    errorNaming(await call(b, "update_task", { id, title: "mine now" }), /Not found/);
    errorNaming(await call(b, "complete_task", { id }), /Not found/);
    errorNaming(await call(b, "reopen_task", { id }), /Not found/);
    errorNaming(await call(b, "add_tags", { id, tags: ["x"] }), /Not found/);
    errorNaming(await call(b, "delete_task", { id }), /Not found/);
    assert.deepEqual(okResult<{ items: Task[] }>(await call(b, "search_tasks", {})).items, []);
    assert.deepEqual(okResult<{ items: unknown[] }>(await call(b, "task_history", { id })).items, []);
    await assert.rejects(() => b.readResource({ uri: `task://${id}` }));
    // A's task is untouched.
    assert.equal(okResult<{ task: Task }>(await call(a, "get_task", { id })).task.title, "Check the build");
    await a.close();
    await b.close();
  });
});
