/**
 * The platform's OpenID Provider on one machine (apps/local-idp, in this process), the settings every
 * public service verifies tokens with, and tokens for test users obtained the way a browser app gets
 * them: code + PKCE through the provider's login form (oidc-sign-in.ts). No shared signing secret.
 */
import { randomBytes } from "node:crypto";
import { apiScope, startLocalIdp, type LocalIdp } from "@tasks/local-idp";
import { signIn } from "./oidc-sign-in.js";
import type { StartContext } from "./dev-start.js";

/** The `aud` of the dev platform's access tokens (an absolute URI: RFC 8707 resource indicator). */
export const devAudience = "api://tasks-platform";
/** Registered with the provider; the sign-in helper stops at it and never calls it. */
export const devRedirectUri = "http://127.0.0.1:5173/callback";
/** The web app's origin during development, allowed by CORS and the realtime Origin check. */
export const devAllowedOrigins = ["http://127.0.0.1:5173", "http://localhost:5173"];
/** The provider's port under `npm run dev` (catalog ports); tests take a free one. */
export const devIdpPort = 4100;

export interface DevIdentity {
  readonly idp: LocalIdp;
  /** JWT_* / CORS / rate-limit env of every public service. */
  readonly env: Readonly<Record<string, string>>;
  /** A test user's password (the user is created on first use, with email <user>@tasks.test). */
  passwordOf(user: string): string;
  /** An access token for `user`, by code + PKCE through the login form. */
  token(user: string): Promise<string>;
}

/**
 * The dev platform's step: the provider on the catalog port under `npm run dev`, a free one in tests. `webOrigin`:
 * where the platform's web app runs (apps/web): its redirect URI (`<origin>/`) and an allowed origin.
 */
export async function startDevIdentity(ctx: StartContext, webOrigin?: string): Promise<DevIdentity> {
  const identity = await startIdentityProvider({
    port: ctx.opts.appPorts === "catalog" ? devIdpPort : 0,
    ...(webOrigin ? { webOrigin } : {}),
  });
  ctx.onStop("identity provider", identity.idp.stop);
  return identity;
}

/**
 * The provider alone (benchmarks start their services themselves): its env for the services and tokens
 * for test users, by code + PKCE. Stop it with `idp.stop()`.
 */
export async function startIdentityProvider(
  opts: { port?: number; accessTokenTtlSeconds?: number; webOrigin?: string } = {},
): Promise<DevIdentity> {
  const origins =
    opts.webOrigin && !devAllowedOrigins.includes(opts.webOrigin) ? [...devAllowedOrigins, opts.webOrigin] : devAllowedOrigins;
  const idp = await startLocalIdp({
    audience: devAudience,
    redirectUris: [devRedirectUri, ...new Set([...devAllowedOrigins, ...(opts.webOrigin ? [opts.webOrigin] : [])].map((o) => `${o}/`))],
    port: opts.port ?? 0,
    ...(opts.accessTokenTtlSeconds ? { accessTokenTtlSeconds: opts.accessTokenTtlSeconds } : {}),
  });
  const passwordOf = (user: string): string => {
    const known = idp.users.get(user);
    if (known) return known.password;
    return idp.users.add({ username: user, password: randomBytes(12).toString("base64url"), email: `${user}@tasks.test` }).password;
  };
  return {
    idp,
    env: {
      JWT_ISSUER: idp.issuer,
      JWT_AUDIENCE: devAudience,
      JWT_JWKS_URL: idp.jwksUrl,
      JWT_USER_ID_CLAIM: "sub",
      JWT_EMAIL_CLAIM: "email",
      JWT_ALGORITHMS: "RS256",
      JWT_CLOCK_SKEW_SECONDS: "30",
      CORS_ALLOWED_ORIGINS: origins.join(","),
      // Benchmarks and tests drive one user hard: the per-user limit is the stacks' business.
      RATE_LIMIT_PER_MINUTE: "1000000",
    },
    passwordOf,
    token: async (user) =>
      (
        await signIn({
          issuer: idp.issuer,
          clientId: idp.clientId,
          redirectUri: devRedirectUri,
          username: user,
          password: passwordOf(user),
          resource: devAudience,
          scope: `openid email ${apiScope}`,
        })
      ).accessToken,
  };
}

/**
 * The web app's runtime config on one machine: each API on its own port (no ingress in front), the provider's
 * client and the access token's resource.
 */
export function webAppEnv(
  services: Readonly<Partial<Record<string, { readonly url: string }>>>,
  identity: DevIdentity,
): Record<string, string> {
  const url = (name: string): string => {
    const s = services[name];
    if (!s) throw new Error(`web app: service ${name} is not started before it`);
    return s.url;
  };
  return {
    OIDC_ISSUER: identity.idp.issuer,
    OIDC_CLIENT_ID: identity.idp.clientId,
    OIDC_SCOPE: `openid email ${apiScope}`,
    OIDC_RESOURCE: devAudience,
    TASKS_API_BASE: url("tasks-api"),
    NOTIFICATIONS_API_BASE: url("notifications"),
    AUDIT_API_BASE: url("audit"),
    REALTIME_URL: `${url("realtime").replace(/^http/, "ws")}/ws`,
  };
}
