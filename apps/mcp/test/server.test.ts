/**
 * The mcp app over real HTTP with the SDK's client, a local JWKS and a recording gateway in place of Dapr:
 * the metadata, the 401 flow and the audience check, what reaches the platform (the verified user id, never
 * the token), and every tool's bad input naming its field. The integration tier runs the same client
 * against the whole platform.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import type { ServiceName } from "@tasks/catalog";
import { createLogger, createRegistry, type TaskSnapshot } from "@tasks/shared";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createMcpApp } from "../src/app.js";
import type { CallOptions, Gateway } from "../src/gateway.js";

const issuer = "https://issuer.test";
const apiAudience = "api://tasks";
const mcpAudience = "https://tasks.test/mcp";
let sign: (sub: string, aud?: string, iss?: string, claims?: Record<string, unknown>) => Promise<string>;
let jwks: http.Server;
let server: http.Server;
let url: URL;
const calls: { app: ServiceName; method: string; path: string; userId: string; opts?: CallOptions }[] = [];

const task = (over: Partial<TaskSnapshot> = {}): TaskSnapshot => ({
  id: "0b5c1f9e-7c1a-4e0b-9a37-3a5f2d1c0e11",
  userId: "alice",
  title: "Check the build",
  description: null,
  priority: "medium",
  status: "open",
  tags: [],
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
  ...over,
});

const gateway: Gateway = async <T>(app: ServiceName, method: string, path: string, userId: string, opts?: CallOptions): Promise<T> => {
  calls.push({ app, method, path, userId, ...(opts ? { opts } : {}) });
  const body = (opts?.body ?? {}) as Partial<TaskSnapshot>;
  if (path === "/api/v1/tasks" && method === "POST") return task({ ...body, userId }) as T;
  if (method === "GET" && path === "/api/v1/tasks") return { items: [task({ userId })], nextCursor: null } as T;
  return task({ userId }) as T;
};

before(async () => {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwks = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
  jwks.listen(0, "127.0.0.1");
  await once(jwks, "listening");
  sign = (sub, aud = mcpAudience, iss = issuer, claims = {}) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setSubject(sub)
      .setIssuer(iss)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
  const { app } = createMcpApp({
    logger: createLogger({ service: "mcp", level: "silent" }),
    registry: createRegistry("mcp"),
    auth: { jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`, issuer, audience: apiAudience },
    resource: { resource: mcpAudience, audience: mcpAudience },
    gateway,
    daprAppToken: "t".repeat(40),
    now: () => new Date("2026-03-28T10:00:00Z"),
  });
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
after(() => {
  server?.close();
  jwks?.close();
});

async function client(token: string): Promise<Client> {
  const c = new Client({ name: "test", version: "1" });
  await c.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
  return c;
}
const text = (r: CallToolResult): string => r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
const call = async (c: Client, name: string, args: Record<string, unknown>) =>
  (await c.callTool({ name, arguments: args })) as CallToolResult;

describe("mcp app", () => {
  test("Protected Resource Metadata names the issuer and the resource", async () => {
    const res = await fetch(new URL("/.well-known/oauth-protected-resource/mcp", url));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      resource: mcpAudience,
      authorization_servers: [issuer],
      bearer_methods_supported: ["header"],
      resource_name: "Tasks platform (MCP)",
    });
  });

  test("the OpenAPI document describes the endpoint and the metadata, without a token", async () => {
    const res = await fetch(new URL("/mcp/openapi.json", url));
    assert.equal(res.status, 200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    assert.deepEqual([doc.openapi, Object.keys(doc.paths).sort()], ["3.1.0", ["/.well-known/oauth-protected-resource/mcp", "/mcp"]]);
  });

  test("401 with the resource_metadata pointer: no token, the API's audience, another issuer; 400 for a token in the URL", async () => {
    const post = (auth?: string, path = url.href) =>
      fetch(path, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...(auth ? { authorization: auth } : {}),
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
    for (const auth of [
      undefined,
      `Bearer ${await sign("alice", apiAudience)}`,
      `Bearer ${await sign("alice", mcpAudience, "https://evil.test")}`,
    ]) {
      const res = await post(auth);
      assert.equal(res.status, 401);
      assert.match(
        res.headers.get("www-authenticate") ?? "",
        /^Bearer error="invalid_token".*resource_metadata="https:\/\/tasks\.test\/\.well-known\/oauth-protected-resource\/mcp"/,
      );
    }
    assert.equal((await post(undefined, `${url.href}?access_token=x`)).status, 400);
    const other = await fetch(url, {
      method: "POST",
      headers: { origin: "https://evil.test", authorization: `Bearer ${await sign("alice")}` },
    });
    assert.equal(other.status, 403);
  });

  test("without MCP_SCOPES no scope is required: a token with none, or with unrelated ones, is accepted", async () => {
    for (const claims of [{}, { scp: "User.Read" }, { scope: "openid email" }]) {
      const c = await client(await sign("alice", mcpAudience, issuer, claims));
      assert.ok((await c.listTools()).tools.length > 0, JSON.stringify(claims));
      await c.close();
    }
  });

  test("a tool acts for the token's user through the gateway; the token never reaches it", async () => {
    const token = await sign("alice");
    const c = await client(token);
    calls.length = 0;
    const r = await call(c, "create_task", { title: "Check the build", when: "every weekday at 9am", timeZone: "Europe/Paris" });
    assert.notEqual(r.isError, true, text(r));
    assert.deepEqual(
      calls.map((x) => [x.app, x.method, x.path, x.userId]),
      [["tasks-api", "POST", "/api/v1/tasks", "alice"]],
    );
    assert.deepEqual(calls[0]!.opts?.body, {
      title: "Check the build",
      dueAt: "2026-03-30T07:00:00Z",
      timeZone: "Europe/Paris",
      recurrence: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    });
    assert.ok(!JSON.stringify(calls).includes(token));
    assert.match(text(r), /RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR in Europe\/Paris, next: 2026-03-30T09:00\+02:00/);
    const bob = await client(await sign("bob"));
    calls.length = 0;
    await call(bob, "search_tasks", { status: "open", sort: "-priority", limit: 5 });
    assert.deepEqual(calls[0]?.userId, "bob");
    const sent = Object.fromEntries(Object.entries(calls[0]?.opts?.query ?? {}).filter(([, v]) => v !== undefined));
    assert.deepEqual(sent, { status: "open", sort: "-priority", limit: "5" });
    await c.close();
    await bob.close();
  });

  test("every tool's bad input is a tool error naming the field, and reaches nothing", async () => {
    const c = await client(await sign("alice"));
    const id = "0b5c1f9e-7c1a-4e0b-9a37-3a5f2d1c0e11";
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ["search_tasks", { limit: 0 }, /limit/],
      ["search_tasks", { sort: "sideways" }, /sort/],
      ["get_task", { id: "nope" }, /id/],
      ["create_task", { title: "" }, /title/],
      ["create_task", { title: "x", when: "at 9", timeZone: "Europe/Paris" }, /when: "at 9" is ambiguous/],
      ["create_task", { title: "x", when: "tomorrow" }, /timeZone/],
      ["create_task", { title: "x", when: "tomorrow", timeZone: "Mars/Base" }, /timeZone/],
      ["update_task", { id, priority: "whenever" }, /priority/],
      ["complete_task", {}, /id/],
      ["reopen_task", { id: "x" }, /id/],
      ["delete_task", { id: 3 }, /id/],
      ["add_tags", { id, tags: [] }, /tags/],
      ["remove_tags", { id }, /tags/],
      ["set_reminders", { id, minutesBefore: [-5] }, /minutesBefore/],
      ["clear_reminders", { id: "" }, /id/],
      ["interpret_when", { when: "every blue moon", timeZone: "Europe/Paris" }, /when: Could not understand "every blue moon"/],
      ["list_unread_notifications", { limit: 1000 }, /limit/],
      ["mark_notification_read", { id: "1" }, /id/],
      ["task_history", { id: "x" }, /id/],
    ];
    calls.length = 0;
    for (const [name, args, field] of cases) {
      const r = await call(c, name, args);
      assert.equal(r.isError, true, `${name}: ${text(r)}`);
      assert.match(text(r), field, name);
    }
    assert.deepEqual(calls, []);
    await c.close();
  });
});
