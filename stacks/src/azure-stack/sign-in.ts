import * as pulumi from "@pulumi/pulumi";
import { mcpEndpoint } from "@tasks/catalog";
import { McpServerRegistration, TasksApiRegistration } from "@tasks/infra/azure/entra/index";
import { childName } from "@tasks/infra/naming";
import type { ServiceIdentity } from "../contracts.js";
import { byoIdentity, identityVerification } from "../config/identity.js";
import type { AzureContext } from "./foundation.js";

export interface SignIn {
  /** What the public services verify tokens against. */
  readonly identity: ServiceIdentity;
  /** The Entra ID registrations of the API and the web app (provider entra). */
  readonly registration?: TasksApiRegistration;
  /** The Entra ID registrations of the MCP server and its public client (provider entra). */
  readonly mcpRegistration?: McpServerRegistration;
}

/**
 * Step 3b of the Azure stack: end-user sign-in. With provider entra the program registers the API and
 * the single-page client in the tenant it deploys with, and the MCP server (its own audience) with a public
 * client for MCP clients; with provider oidc the stack config names the issuer, audience and JWKS of the
 * organisation's own provider, nothing is registered, and the MCP server's audience is its resource URL.
 */
export function createSignIn(ctx: AzureContext): SignIn {
  const id = ctx.cfg.identity;
  if (id.provider !== "entra") return { identity: byoIdentity(id) };
  const registration = new TasksApiRegistration(childName(ctx.prefix, "sign-in"), {
    displayName: ctx.prefix,
    tenantId: ctx.client.tenantId,
    host: ctx.cfg.domain,
    extraRedirectUris: id.redirectUris ?? [],
    assignmentRequired: id.assignmentRequired ?? false,
  });
  const mcpRegistration = new McpServerRegistration(childName(ctx.prefix, "sign-in-mcp"), {
    displayName: ctx.prefix,
    tenantId: ctx.client.tenantId,
    resourceUrl: `https://${ctx.cfg.domain}${mcpEndpoint}`,
    verifiedDomain: id.domainVerified ?? false,
    extraRedirectUris: id.mcpRedirectUris ?? [],
    assignmentRequired: id.assignmentRequired ?? false,
  });
  return {
    registration,
    mcpRegistration,
    identity: {
      ...identityVerification(id),
      issuer: registration.issuer,
      audience: registration.audience,
      jwksUrl: registration.jwksUrl,
      // Refresh tokens for the SPA need offline_access; the API travels in the scope (Entra has no resource parameter).
      webClient: { clientId: registration.spaClientId, scope: pulumi.interpolate`openid email offline_access ${registration.scope}` },
      mcpServer: { audience: mcpRegistration.audience, scope: mcpRegistration.scope },
    },
  };
}
