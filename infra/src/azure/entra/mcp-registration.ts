import * as pulumi from "@pulumi/pulumi";
import { Application } from "@pulumi/azuread/application.js";
import { ServicePrincipal } from "@pulumi/azuread/servicePrincipal.js";
import { childName } from "../../naming.js";
import { stableUuid, tasksScope } from "./tasks-api-registration.js";

/**
 * Loopback redirect URIs of the MCP client registration. Entra ignores the port of a loopback redirect URI (RFC 8252
 * section 7.3: native clients listen on an ephemeral port) but matches the path exactly, so the paths the common MCP
 * clients listen on are registered for both hosts: `/` (VS Code, mcp-remote), `/callback` (Claude Code) and
 * `/oauth/callback` (MCP Inspector).
 */
export const mcpLoopbackRedirectUris: readonly string[] = ["localhost", "127.0.0.1"].flatMap((host) =>
  ["/", "/callback", "/oauth/callback"].map((path) => `http://${host}${path}`),
);

export interface McpServerRegistrationArgs {
  /** Display names: `<displayName>-mcp` (the resource) and `<displayName>-mcp-client` (the public client). */
  readonly displayName: string;
  readonly tenantId: pulumi.Input<string>;
  /** The mcp server's canonical URI, https://<host>/mcp (its Protected Resource Metadata `resource`). */
  readonly resourceUrl: string;
  /**
   * The stack's host is a verified custom domain of the tenant: the resource URL is then the registration's first
   * application ID URI, so the scope is <resourceUrl>/Tasks.ReadWrite and an MCP client's RFC 8707 `resource`
   * parameter names the same resource as its scope. Entra refuses an https identifier URI on an unverified domain.
   * @default false
   */
  readonly verifiedDomain?: boolean;
  /** More redirect URIs of the public client (an MCP client that listens elsewhere). @default [] */
  readonly extraRedirectUris?: readonly string[];
  /** Users must be assigned to the MCP client (Enterprise applications → Users and groups) to sign in. @default false */
  readonly assignmentRequired?: boolean;
}

/** The registration's application ID URIs: api://<tenant>/<displayName>-mcp, after the resource URL when its domain is verified. */
export function mcpIdentifierUris(args: Pick<McpServerRegistrationArgs, "displayName" | "tenantId" | "resourceUrl" | "verifiedDomain">) {
  const apiUri = pulumi.interpolate`api://${args.tenantId}/${args.displayName}-mcp`;
  return args.verifiedDomain ? [pulumi.output(args.resourceUrl), apiUri] : [apiUri];
}

/** The resource's API: v2 access tokens and the one delegated scope, user-consentable. */
const mcpResourceApi = (scopeId: string) => ({
  requestedAccessTokenVersion: 2,
  oauth2PermissionScopes: [
    {
      id: scopeId,
      value: tasksScope,
      type: "User",
      enabled: true,
      adminConsentDisplayName: "Let AI assistants manage your tasks",
      adminConsentDescription:
        "Lets an MCP client (an AI assistant) read and write the signed-in user's tasks, reminders, notifications and history.",
      userConsentDisplayName: "Let AI assistants manage your tasks",
      userConsentDescription: "Lets an AI assistant read and write your tasks, reminders, notifications and history.",
    },
  ],
});

/**
 * The mcp server as a protected resource in Entra ID (issue 17), separate from the tasks API so that a token for one
 * is refused by the other:
 * - the resource: application ID URI(s) from `mcpIdentifierUris`, the delegated scope Tasks.ReadWrite, v2 access
 *   tokens (`aud` is its client id: the server's MCP_AUDIENCE) carrying `email`; no client is pre-authorized, so a
 *   user consents to the scope at first sign-in (or an administrator grants consent once);
 * - the client: a public client on the mobile-and-desktop platform (loopback redirect URIs, authorization code with
 *   PKCE, no secret). Entra has no dynamic client registration, so MCP clients are configured with its client id.
 *   The SPA client cannot serve: Entra redeems a single-page application's codes only in cross-origin requests
 *   (with an Origin header), which a desktop or command-line MCP client does not send.
 */
export class McpServerRegistration extends pulumi.ComponentResource {
  /** The `aud` of the server's v2 access tokens: its client id (MCP_AUDIENCE). */
  readonly audience: pulumi.Output<string>;
  readonly resourceClientId: pulumi.Output<string>;
  /** The application ID URI scopes are qualified with: the resource URL when its domain is verified. */
  readonly identifierUri: pulumi.Output<string>;
  /** The full scope an MCP client requests, <identifierUri>/Tasks.ReadWrite. */
  readonly scope: pulumi.Output<string>;
  /** The public client's id, which an MCP client is configured with. */
  readonly clientId: pulumi.Output<string>;
  readonly redirectUris: readonly string[];

  constructor(name: string, args: McpServerRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:McpServerRegistration", name, {}, opts);
    if (!/^https:\/\/[^/\s?#]+\/\S*$/.test(args.resourceUrl) || /[?#]/.test(args.resourceUrl)) {
      throw new pulumi.ResourceError(
        `McpServerRegistration "${name}": resourceUrl must be an https URL without query or fragment, got "${args.resourceUrl}"`,
        this,
      );
    }
    const scopeId = stableUuid(`${args.displayName}-mcp/${tasksScope}`);
    const identifierUris = mcpIdentifierUris(args);
    const resource = new Application(
      name,
      {
        displayName: `${args.displayName}-mcp`,
        description: "The tasks platform's MCP server: access tokens for AI assistants are issued for it",
        signInAudience: "AzureADMyOrg",
        preventDuplicateNames: true,
        identifierUris,
        api: mcpResourceApi(scopeId),
        optionalClaims: { accessTokens: [{ name: "email" }] },
      },
      { parent: this },
    );
    new ServicePrincipal(name, { clientId: resource.clientId, description: "tasks platform MCP server" }, { parent: resource });
    this.redirectUris = [...mcpLoopbackRedirectUris, ...(args.extraRedirectUris ?? [])];
    const client = new Application(
      childName(name, "client"),
      {
        displayName: `${args.displayName}-mcp-client`,
        description: "MCP clients (AI assistants) of the tasks platform: a public client (authorization code with PKCE, no secret)",
        signInAudience: "AzureADMyOrg",
        preventDuplicateNames: true,
        publicClient: { redirectUris: [...this.redirectUris] },
        // Only the authorization code flow: no device code or password grant (they need fallbackPublicClientEnabled).
        fallbackPublicClientEnabled: false,
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
        requiredResourceAccesses: [{ resourceAppId: resource.clientId, resourceAccesses: [{ id: scopeId, type: "Scope" }] }],
      },
      { parent: this },
    );
    new ServicePrincipal(
      childName(name, "client"),
      {
        clientId: client.clientId,
        appRoleAssignmentRequired: args.assignmentRequired ?? false,
        description: "tasks platform MCP clients",
      },
      { parent: client },
    );
    this.audience = resource.clientId;
    this.resourceClientId = resource.clientId;
    this.identifierUri = identifierUris[0]!;
    this.scope = pulumi.interpolate`${this.identifierUri}/${tasksScope}`;
    this.clientId = client.clientId;
    this.registerOutputs({ audience: this.audience, scope: this.scope, clientId: this.clientId });
  }
}
