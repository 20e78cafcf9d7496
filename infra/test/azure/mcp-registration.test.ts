import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";

/** The MCP server's Entra ID registrations (issue 17) under Pulumi mocks: what is created, with which properties. */

type Mod = typeof import("../../src/azure/entra/index.js");
let m: Mod;
interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}
const created: Recorded[] = [];
const tenantId = "11111111-2222-3333-4444-555555555555";

before(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        created.push({ type: args.type, name: args.name, inputs: args.inputs as Record<string, unknown> });
        const extra = args.type === "azuread:index/application:Application" ? { clientId: `${args.name}-client-id` } : {};
        return { id: `${args.name}-id`, state: { ...args.inputs, ...extra, objectId: `${args.name}-object-id` } };
      },
      call: () => ({}),
    },
    "tasks-platform",
    "test",
    false,
  );
  m = await import("../../src/azure/entra/index.js");
});

const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));
/** Resources register asynchronously: wait until the mocks have seen the last one (the client's service principal). */
async function registered(name: string): Promise<void> {
  const seen = () => created.some((r) => r.type === "azuread:index/servicePrincipal:ServicePrincipal" && r.name === name);
  for (let i = 0; i < 200 && !seen(); i++) await new Promise((r) => setTimeout(r, 10));
}
const of = (type: string, name: string): Recorded => {
  const found = created.filter((r) => r.type === `azuread:index/${type}` && r.name === name);
  assert.equal(found.length, 1, `${type} ${name}`);
  return found[0]!;
};
const get = (o: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>((x, k) => (x as Record<string | number, unknown> | undefined)?.[k], o);

describe("McpServerRegistration", () => {
  it("registers the MCP server as its own resource: api:// identifier URI, Tasks.ReadWrite, v2 tokens; and a public loopback client", async () => {
    const reg = new m.McpServerRegistration("tasks-dev-sign-in-mcp", {
      displayName: "tasks-dev",
      tenantId,
      resourceUrl: "https://tasks.dev.example.com/mcp",
    });
    const [audience, scope, clientId, identifierUri] = await Promise.all([
      value(reg.audience),
      value(reg.scope),
      value(reg.clientId),
      value(reg.identifierUri),
    ]);
    await registered("tasks-dev-sign-in-mcp-client");
    const api = of("application:Application", "tasks-dev-sign-in-mcp");
    const client = of("application:Application", "tasks-dev-sign-in-mcp-client");
    assert.equal(api.inputs.displayName, "tasks-dev-mcp");
    assert.equal(api.inputs.signInAudience, "AzureADMyOrg");
    assert.deepEqual(api.inputs.identifierUris, [`api://${tenantId}/tasks-dev-mcp`]);
    assert.equal(get(api.inputs, "api", "requestedAccessTokenVersion"), 2);
    const s = get(api.inputs, "api", "oauth2PermissionScopes", 0) as Record<string, unknown>;
    assert.deepEqual([s.value, s.type, s.enabled], ["Tasks.ReadWrite", "User", true]);
    // Its scope id is stable and not the tasks API's (a different resource, a different permission).
    assert.equal(s.id, m.stableUuid("tasks-dev-mcp/Tasks.ReadWrite"));
    assert.notEqual(s.id, m.stableUuid("tasks-dev/Tasks.ReadWrite"));
    // Nothing is pre-authorized: every client needs the user's (or an administrator's) consent.
    assert.equal(get(api.inputs, "api", "preAuthorizedApplications"), undefined);
    assert.deepEqual(
      created.filter((r) => /PreAuthorized|DelegatedPermissionGrant|Password|Certificate/.test(r.type)),
      [],
      "no pre-authorization, consent grant or credential",
    );
    assert.deepEqual(get(api.inputs, "optionalClaims", "accessTokens"), [{ name: "email" }]);

    assert.equal(client.inputs.displayName, "tasks-dev-mcp-client");
    assert.deepEqual(get(client.inputs, "publicClient", "redirectUris"), [
      "http://localhost/",
      "http://localhost/callback",
      "http://localhost/oauth/callback",
      "http://127.0.0.1/",
      "http://127.0.0.1/callback",
      "http://127.0.0.1/oauth/callback",
    ]);
    assert.equal(client.inputs.singlePageApplication, undefined, "not a SPA: Entra redeems SPA codes only cross-origin");
    assert.equal(client.inputs.fallbackPublicClientEnabled, false);
    assert.deepEqual(get(client.inputs, "web", "implicitGrant"), { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false });
    assert.deepEqual(client.inputs.requiredResourceAccesses, [
      { resourceAppId: "tasks-dev-sign-in-mcp-client-id", resourceAccesses: [{ id: s.id, type: "Scope" }] },
    ]);
    assert.equal(of("servicePrincipal:ServicePrincipal", "tasks-dev-sign-in-mcp").inputs.clientId, "tasks-dev-sign-in-mcp-client-id");
    assert.equal(of("servicePrincipal:ServicePrincipal", "tasks-dev-sign-in-mcp-client").inputs.appRoleAssignmentRequired, false);

    assert.equal(audience, "tasks-dev-sign-in-mcp-client-id", "v2 tokens' aud is the resource's client id");
    assert.equal(identifierUri, `api://${tenantId}/tasks-dev-mcp`);
    assert.equal(scope, `api://${tenantId}/tasks-dev-mcp/Tasks.ReadWrite`);
    assert.equal(clientId, "tasks-dev-sign-in-mcp-client-client-id");
  });

  it("on a verified domain the resource URL is the first identifier URI and qualifies the scope; extra redirects and assignment", async () => {
    const reg = new m.McpServerRegistration("tasks-prod-sign-in-mcp", {
      displayName: "tasks-prod",
      tenantId,
      resourceUrl: "https://tasks.example.com/mcp",
      verifiedDomain: true,
      extraRedirectUris: ["http://127.0.0.1/auth/callback"],
      assignmentRequired: true,
    });
    assert.equal(await value(reg.scope), "https://tasks.example.com/mcp/Tasks.ReadWrite");
    await registered("tasks-prod-sign-in-mcp-client");
    const api = of("application:Application", "tasks-prod-sign-in-mcp");
    assert.deepEqual(api.inputs.identifierUris, ["https://tasks.example.com/mcp", `api://${tenantId}/tasks-prod-mcp`]);
    const client = of("application:Application", "tasks-prod-sign-in-mcp-client");
    assert.equal((get(client.inputs, "publicClient", "redirectUris") as string[]).at(-1), "http://127.0.0.1/auth/callback");
    assert.equal(of("servicePrincipal:ServicePrincipal", "tasks-prod-sign-in-mcp-client").inputs.appRoleAssignmentRequired, true);
  });

  it("rejects a resource URL that is not https or carries a query", () => {
    for (const resourceUrl of ["http://tasks.example.com/mcp", "https://tasks.example.com/mcp?x=1", "tasks.example.com/mcp"]) {
      assert.throws(() => new m.McpServerRegistration(`bad-${resourceUrl.length}`, { displayName: "t", tenantId, resourceUrl }), {
        message: `McpServerRegistration "bad-${resourceUrl.length}": resourceUrl must be an https URL without query or fragment, got "${resourceUrl}"`,
      });
    }
  });
});
