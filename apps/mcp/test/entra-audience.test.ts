/**
 * The mcp server configured the way the Azure stacks run it (issue 17): Entra ID issues v2 access tokens whose
 * `aud` is the MCP registration's client id (MCP_AUDIENCE), not the resource URL, and the Protected Resource
 * Metadata names the scope a client must request (MCP_SCOPES), since Entra takes the resource in the scope.
 */
import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { createLogger, createRegistry } from "@tasks/shared";
import { startFakeSidecar, testApiToken, writeTestAppTokenFile, type FakeSidecar } from "@tasks/shared/testing";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createMcpApp } from "../src/app.js";
import { loadConfig } from "../src/config.js";

const tenant = "11111111-2222-3333-4444-555555555555";
const issuer = `https://login.microsoftonline.com/${tenant}/v2.0`;
const apiClientId = "aaaaaaaa-0000-4000-8000-000000000001";
const mcpClientId = "bbbbbbbb-0000-4000-8000-000000000002";
const resourceUrl = "https://tasks.dev.example.com/mcp";
const scope = `api://${tenant}/tasks-dev-mcp/Tasks.ReadWrite`;

let sidecar: FakeSidecar;
let jwks: http.Server;
let server: http.Server;
let url: URL;
let sign: (aud: string, claims?: Record<string, unknown>) => Promise<string>;

before(async () => {
  sidecar = await startFakeSidecar();
  sidecar.apiToken = testApiToken;
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256", use: "sig" };
  jwks = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })));
  jwks.listen(0, "127.0.0.1");
  await once(jwks, "listening");
  // An Entra v2 access token's shape: aud the resource's client id, oid the user, scp the short scope, azp the client.
  sign = (aud, claims = { scp: "Tasks.ReadWrite" }) =>
    new SignJWT({ oid: "user-oid-1", azp: "cccccccc-0000-4000-8000-000000000003", ver: "2.0", ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setSubject("pairwise-sub")
      .setIssuer(issuer)
      .setAudience(aud)
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
  const { app } = createMcpApp({
    logger: createLogger({ service: "mcp", level: "silent" }),
    registry: createRegistry("mcp"),
    auth: { jwksUrl: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`, issuer, audience: apiClientId, userIdClaim: "oid" },
    resource: { resource: resourceUrl, audience: mcpClientId, scopes: [scope] },
    gateway: async <T>() => ({ items: [], nextCursor: null }) as T,
    daprAppToken: "t".repeat(40),
  });
  server = app.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`);
});
after(() => {
  server?.close();
  jwks?.close();
  sidecar?.close();
});

describe("mcp server behind Entra ID", () => {
  test("MCP_AUDIENCE and MCP_SCOPES load into the resource settings; a malformed scope list names the key", async () => {
    const env = {
      DAPR_HTTP_PORT: new URL(sidecar.url).port,
      DAPR_APP_TOKEN_FILE: writeTestAppTokenFile(),
      DAPR_API_TOKEN_FILE: writeTestAppTokenFile(testApiToken),
      JWT_JWKS_URL: `${issuer}/keys`,
      JWT_ISSUER: issuer,
      JWT_AUDIENCE: apiClientId,
      MCP_RESOURCE_URL: resourceUrl,
      MCP_AUDIENCE: mcpClientId,
      MCP_SCOPES: `${scope} offline_access`,
    };
    const config = await loadConfig(env);
    assert.deepEqual(config.mcp, { resource: resourceUrl, audience: mcpClientId, scopes: [scope, "offline_access"] });
    const { MCP_AUDIENCE: _a, MCP_SCOPES: _s, ...local } = env;
    assert.deepEqual((await loadConfig(local)).mcp, { resource: resourceUrl, audience: resourceUrl }, "defaults: no scopes published");
    await assert.rejects(loadConfig({ ...env, MCP_SCOPES: `${scope}  "x"` }), /MCP_SCOPES/);
  });

  test("the Protected Resource Metadata names the scope to request", async () => {
    const res = await fetch(new URL("/.well-known/oauth-protected-resource/mcp", url));
    assert.deepEqual(await res.json(), {
      resource: resourceUrl,
      authorization_servers: [issuer],
      bearer_methods_supported: ["header"],
      resource_name: "Tasks platform (MCP)",
      scopes_supported: [scope],
    });
  });

  test("a token for the MCP registration's client id is accepted; one for the resource URL or the tasks API is refused", async () => {
    const c = new Client({ name: "test", version: "1" });
    const token = await sign(mcpClientId);
    await c.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    assert.ok((await c.listTools()).tools.length > 0);
    await c.close();
    for (const aud of [resourceUrl, apiClientId]) {
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          authorization: `Bearer ${await sign(aud)}`,
        },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
      });
      assert.equal(res.status, 401, aud);
    }
  });

  const listTools = async (token: string) =>
    fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream", authorization: `Bearer ${token}` },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });

  test("a token whose scp or scope grants none of MCP_SCOPES gets 403 insufficient_scope naming the scope and the metadata", async () => {
    const metadata = "https://tasks.dev.example.com/.well-known/oauth-protected-resource/mcp";
    for (const claims of [
      { scp: "User.Read Tasks.Read" },
      {},
      { scope: "openid email" },
      { scp: "" },
      { scp: "tasks-dev-mcp/Tasks.ReadWrite" },
    ]) {
      const res = await listTools(await sign(mcpClientId, claims));
      assert.equal(res.status, 403, JSON.stringify(claims));
      assert.equal(
        res.headers.get("www-authenticate"),
        `Bearer error="insufficient_scope", scope="${scope}", resource_metadata="${metadata}", error_description="The access token does not grant a scope of this server."`,
      );
      assert.deepEqual(await res.json(), {
        error: "insufficient_scope",
        error_description: "The access token does not grant a scope of this server.",
      });
    }
  });

  test("any one configured scope suffices: Entra's short scp value among others, or the full scope in `scope`", async () => {
    for (const claims of [{ scp: "User.Read Tasks.ReadWrite" }, { scope: `openid ${scope}` }]) {
      const res = await listTools(await sign(mcpClientId, claims));
      assert.equal(res.status, 200, JSON.stringify(claims));
      assert.ok(((await res.json()) as { result: { tools: unknown[] } }).result.tools.length > 0);
    }
  });
});
