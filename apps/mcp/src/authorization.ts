/**
 * The mcp server as an OAuth 2.1 protected resource (MCP authorization, 2025-06-18): its Protected Resource
 * Metadata (RFC 9728) names the stack's issuer as its authorization server; a request without a valid token
 * gets 401 with `WWW-Authenticate: Bearer ... resource_metadata="<metadata URL>"`; a token must be issued by
 * that issuer for this server's own audience (MCP_AUDIENCE), verified against the issuer's JWKS (apps/shared
 * createTokenVerifier: signature, algorithm allow-list, exp/nbf, lifetime). When MCP_SCOPES is set, a valid
 * token that grants none of those scopes gets 403 with `Bearer error="insufficient_scope", scope="<MCP_SCOPES>"`
 * (RFC 6750 section 3.1; MCP authorization, scope challenge). The token itself goes no further.
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

/**
 * The scopes a verified token grants: Entra ID's `scp` (space-separated) or the RFC 8693/9068 `scope` claim,
 * both when present.
 */
export function grantedScopes(claims: Readonly<Record<string, unknown>>): string[] {
  const words = (v: unknown): string[] => (typeof v === "string" ? v.split(" ").filter(Boolean) : []);
  return [...new Set([...words(claims.scp), ...words(claims.scope)])];
}

/**
 * Whether a granted scope satisfies a configured one. Entra ID puts only the scope's value in `scp`
 * (`Tasks.ReadWrite`), not the application ID URI the client requested (`api://<tenant>/<name>-mcp/Tasks.ReadWrite`);
 * the audience check has already bound the token to this server's registration, so the value names its scope.
 */
export const scopeSatisfies = (granted: string, configured: string): boolean =>
  granted === configured || (configured.includes("/") && configured.endsWith(`/${granted}`) && !granted.includes("/"));

/** Whether a token granting `granted` may use a server configured with `required` (any one suffices; none configured = any token). */
export const hasRequiredScope = (granted: readonly string[], required: readonly string[] | undefined): boolean =>
  !required?.length || required.some((r) => granted.some((g) => scopeSatisfies(g, r)));

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
            scopes: grantedScopes(c),
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
  const metadataUrl = resourceMetadataUrl(settings.resource);
  const required = settings.scopes ?? [];
  return (req, res, next) => {
    if (/[?&](access_token|token)=/i.test(req.originalUrl)) {
      onRefused("token in the URL query");
      res.set("WWW-Authenticate", `Bearer error="invalid_request", resource_metadata="${metadataUrl}"`);
      res.status(400).json({ error: "invalid_request", error_description: "Send the access token in the Authorization header." });
      return;
    }
    return check(req, res, (err?: unknown) => {
      if (err !== undefined) return next(err);
      // A valid token for this server that grants none of its scopes: the client asks again for one of them.
      if (!hasRequiredScope(req.auth?.scopes ?? [], required)) {
        onRefused(`insufficient scope: granted "${(req.auth?.scopes ?? []).join(" ")}"`);
        const description = "The access token does not grant a scope of this server.";
        res.set(
          "WWW-Authenticate",
          `Bearer error="insufficient_scope", scope="${required.join(" ")}", resource_metadata="${metadataUrl}", error_description="${description}"`,
        );
        res.status(403).json({ error: "insufficient_scope", error_description: description });
        return;
      }
      next();
    });
  };
}
