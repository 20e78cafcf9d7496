/**
 * The mcp server as an OAuth 2.1 protected resource (MCP authorization, 2025-06-18): its Protected Resource
 * Metadata (RFC 9728) names the stack's issuer as its authorization server; a request without a valid token
 * gets 401 with `WWW-Authenticate: Bearer ... resource_metadata="<metadata URL>"`; a token must be issued by
 * that issuer for this server's own audience (MCP_AUDIENCE), verified against the issuer's JWKS (apps/shared
 * createTokenVerifier: signature, algorithm allow-list, exp/nbf, lifetime). The token itself goes no further.
 */
import { mcpResourceMetadataPath } from "@tasks/catalog";
import { createTokenVerifier, TokenRefused, type AuthConfig } from "@tasks/shared";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import { InvalidTokenError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import type { RequestHandler } from "express";

export interface ResourceSettings {
  /** The canonical URI (MCP_RESOURCE_URL). */
  readonly resource: string;
  /** The `aud` tokens must carry (MCP_AUDIENCE). */
  readonly audience: string;
  /** The scopes clients request (MCP_SCOPES), published as `scopes_supported`. @default none */
  readonly scopes?: readonly string[];
}

/** The metadata document's URL for a resource URI (RFC 9728 section 3.1: the well-known path before the resource's path). */
export const resourceMetadataUrl = (resource: string): string => new URL(mcpResourceMetadataPath, resource).href;

export function protectedResourceMetadata(auth: AuthConfig, settings: ResourceSettings) {
  return {
    resource: settings.resource,
    authorization_servers: [auth.issuer!],
    bearer_methods_supported: ["header"],
    resource_name: "Tasks platform (MCP)",
    // Entra ID issues a token for this server only when a client asks for its scope (it has no resource parameter).
    ...(settings.scopes?.length ? { scopes_supported: [...settings.scopes] } : {}),
  };
}

/** The authenticated user of an MCP request (set by `bearer`). */
export const userIdOfAuth = (auth: AuthInfo | undefined): string => {
  const userId = auth?.extra?.userId;
  if (typeof userId !== "string") throw new Error("no authenticated user");
  return userId;
};

/** Express middleware: the SDK's bearer check with the platform's verifier, pointing clients at the metadata. */
export function bearer(auth: AuthConfig, settings: ResourceSettings, onRefused: (reason: string) => void): RequestHandler {
  const verify = createTokenVerifier({ ...auth, audience: settings.audience });
  const check = requireBearerAuth({
    resourceMetadataUrl: resourceMetadataUrl(settings.resource),
    verifier: {
      verifyAccessToken: async (token): Promise<AuthInfo> => {
        try {
          const ctx = await verify(token);
          const c = ctx.claims;
          return {
            token,
            clientId: typeof c.client_id === "string" ? c.client_id : typeof c.azp === "string" ? c.azp : "",
            scopes: typeof c.scope === "string" ? c.scope.split(" ").filter(Boolean) : [],
            ...(typeof c.exp === "number" ? { expiresAt: c.exp } : {}),
            extra: { userId: ctx.userId },
          };
        } catch (err) {
          onRefused(err instanceof TokenRefused ? err.reason : "invalid");
          // The reason goes to the log, never to the client.
          throw new InvalidTokenError("The access token is not valid for this server.");
        }
      },
    },
  });
  return (req, res, next) => {
    if (/[?&](access_token|token)=/i.test(req.originalUrl)) {
      onRefused("token in the URL query");
      res.set("WWW-Authenticate", `Bearer error="invalid_request", resource_metadata="${resourceMetadataUrl(settings.resource)}"`);
      res.status(400).json({ error: "invalid_request", error_description: "Send the access token in the Authorization header." });
      return;
    }
    return check(req, res, next);
  };
}
