import { z } from "zod";
import { expect, integer, nonEmptyString, oneOf, pattern, section } from "./common.js";

/**
 * Who signs users in (config key `tasks-platform:identity`), shared by every stack. The services verify
 * every token's issuer, audience, signature (against the provider's JWKS), algorithm and expiry:
 *   provider: entra  (dev, prod) the program registers the API and a SPA client in Entra ID, and the MCP
 *                    server with a public client for MCP clients; issuer, audiences and JWKS follow from the
 *                    tenant and the registrations, so they are not set here.
 *   provider: local  (local) the in-cluster OpenID Provider of the local stack (apps/local-idp), its issuer
 *                    on the stack's public host under /idp.
 *   provider: oidc   any stack: bring your own OpenID provider; issuer, audience and jwksUrl are required.
 */

/** Asymmetric JWS algorithms only: `none` and the HMAC family can never verify a provider's token. */
export const signingAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

const httpsUrl = (example: string) => pattern(/^https:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, `an https URL such as ${example}`);

/** A browser origin: scheme, host and optional port, nothing else (what browsers send in Origin). */
const origin = () =>
  pattern(/^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/, "an origin such as https://tasks.example.com (scheme, host, optional port; no path)");

/** A JWT claim name: letters, digits, `_`, `-`, `.`, `:` and `/` (namespaced claims are URLs). */
const claimName = (example: string) => pattern(/^[A-Za-z0-9_.:/-]{1,100}$/, `a claim name such as ${example}`);

const algorithms = z
  .array(
    z.enum(signingAlgorithms, expect(`one of: ${signingAlgorithms.join(", ")} (never none or HS256)`)),
    expect('a list of signing algorithms such as ["RS256"]'),
  )
  .min(1, expect('a list of signing algorithms such as ["RS256"]'));

export type IdentityProviderKind = "entra" | "local" | "oidc";

/** The `identity` section of a stack whose program supports `providers` (Azure: entra, oidc; local: local, oidc). */
export const identitySection = <const P extends readonly [IdentityProviderKind, ...IdentityProviderKind[]]>(providers: P) =>
  section({
    provider: oneOf(providers),
    /** The `iss` every token must carry (provider oidc only). */
    issuer: httpsUrl("https://idp.example.com/realms/tasks").optional(),
    /** The `aud` every token must carry (provider oidc only). */
    audience: nonEmptyString("an audience such as api://tasks").optional(),
    /** Where the services fetch the provider's signing keys (provider oidc only). */
    jwksUrl: httpsUrl("https://idp.example.com/realms/tasks/protocol/openid-connect/certs").optional(),
    /** The claim that identifies the user: `oid` on Entra ID (stable across apps), `sub` elsewhere. */
    userIdClaim: claimName("oid"),
    /** The claim holding the user's email address (the default reminder address). */
    emailClaim: claimName("email"),
    /** Browser origins allowed by CORS and by the realtime service's Origin check. */
    allowedOrigins: z.array(origin(), expect('a list of origins such as ["https://tasks.example.com"]')),
    algorithms,
    /** Tolerance on exp and nbf, in seconds. */
    clockSkewSeconds: integer(0, 300),
    /** Requests per minute one user may make to the public routes (ingress and apps), then 429. */
    requestsPerMinute: integer(1, 100_000),
    /** Entra ID only: users must be assigned to the SPA client (Enterprise applications) before they can sign in. */
    assignmentRequired: z.boolean(expect("true or false")).optional(),
    /** Extra redirect URIs of the SPA client besides https://<domain>/ (e.g. a developer's http://localhost:5173/). */
    redirectUris: z
      .array(pattern(/^https?:\/\/\S+$/, "a redirect URI such as http://localhost:5173/"), expect("a list of URIs"))
      .optional(),
    /**
     * Entra ID only: the stack's domain is a verified custom domain of the tenant, so https://<domain>/mcp can be the
     * MCP registration's application ID URI (Entra refuses an https identifier URI on an unverified domain).
     */
    domainVerified: z.boolean(expect("true or false")).optional(),
    /** Entra ID only: more redirect URIs of the MCP client registration besides its loopback ones. */
    mcpRedirectUris: z
      .array(pattern(/^[a-z][a-z0-9+.-]*:\/\/\S+$/, "a redirect URI such as http://127.0.0.1/auth/callback"), expect("a list of URIs"))
      .optional(),
  }).superRefine((v, ctx) => {
    const problem = (path: string, message: string): void => ctx.addIssue({ code: "custom", path: [path], message, input: undefined });
    const provider: IdentityProviderKind = v.provider;
    if (provider === "oidc") {
      for (const key of ["issuer", "audience", "jwksUrl"] as const)
        if (v[key] === undefined) problem(key, "missing, expected with provider oidc");
    } else {
      for (const key of ["issuer", "audience", "jwksUrl"] as const) {
        if (v[key] !== undefined) problem(key, `expected unset with provider ${provider} (the program derives it)`);
      }
    }
    if (provider !== "entra") {
      for (const key of ["assignmentRequired", "redirectUris", "domainVerified", "mcpRedirectUris"] as const) {
        if (v[key] !== undefined) problem(key, "expected unset unless provider is entra");
      }
    }
  });

export type IdentityConfig = z.infer<ReturnType<typeof identitySection<readonly [IdentityProviderKind, ...IdentityProviderKind[]]>>>;

/** The settings the services verify with when the stack names its own provider (provider oidc). */
export function byoIdentity(id: IdentityConfig): {
  issuer: string;
  audience: string;
  jwksUrl: string;
  userIdClaim: string;
  emailClaim: string;
  allowedOrigins: readonly string[];
  algorithms: readonly string[];
  clockSkewSeconds: number;
  requestsPerMinute: number;
} {
  if (id.issuer === undefined || id.audience === undefined || id.jwksUrl === undefined) {
    throw new Error(`identity: provider ${id.provider} has no issuer/audience/jwksUrl of its own`);
  }
  return { ...identityVerification(id), issuer: id.issuer, audience: id.audience, jwksUrl: id.jwksUrl };
}

/** The verification settings that come from the config whichever the provider. */
export function identityVerification(id: IdentityConfig) {
  return {
    userIdClaim: id.userIdClaim,
    emailClaim: id.emailClaim,
    allowedOrigins: id.allowedOrigins,
    algorithms: id.algorithms,
    clockSkewSeconds: id.clockSkewSeconds,
    requestsPerMinute: id.requestsPerMinute,
  };
}
