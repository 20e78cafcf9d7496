import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec } from "@tasks/catalog";
import type { ServiceIdentity } from "../contracts.js";

/**
 * The sign-in settings of a public service, in the variables apps/shared reads (none of them secret:
 * the provider's keys are public, and no service holds a signing key). Services without a public route
 * authenticate nobody and get none.
 */
export function identityEnvironment(service: ServiceSpec, identity: ServiceIdentity | undefined): Record<string, pulumi.Input<string>> {
  if (!identity || service.publicRoutes.length === 0) return {};
  return {
    JWT_ISSUER: identity.issuer,
    JWT_AUDIENCE: identity.audience,
    JWT_JWKS_URL: identity.jwksUrl,
    JWT_USER_ID_CLAIM: identity.userIdClaim,
    JWT_EMAIL_CLAIM: identity.emailClaim,
    JWT_ALGORITHMS: identity.algorithms.join(","),
    JWT_CLOCK_SKEW_SECONDS: String(identity.clockSkewSeconds),
    CORS_ALLOWED_ORIGINS: identity.allowedOrigins.join(","),
    RATE_LIMIT_PER_MINUTE: String(identity.requestsPerMinute),
    // The web app's sign-in (apps/web serves them as /config.json; none of them secret).
    ...(service.name === "web" && identity.webClient
      ? {
          OIDC_CLIENT_ID: identity.webClient.clientId,
          OIDC_SCOPE: identity.webClient.scope,
          ...(identity.webClient.resource ? { OIDC_RESOURCE: identity.webClient.resource } : {}),
        }
      : {}),
    // The mcp server's own audience and the scope it advertises, when the provider registers it (Entra ID).
    ...(service.name === "mcp" && identity.mcpServer
      ? { MCP_AUDIENCE: identity.mcpServer.audience, MCP_SCOPES: identity.mcpServer.scope }
      : {}),
  };
}
