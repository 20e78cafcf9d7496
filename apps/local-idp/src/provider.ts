/**
 * The OpenID Provider (panva's oidc-provider, a certified implementation) configured for the tasks
 * platform: one public client (the web app: authorization code + PKCE S256, no secret), JWT access
 * tokens for one resource server (the platform's API: `aud` = the audience, RS256, the user's email
 * as a claim), the test users of a UserDirectory, and no consent screen for the platform's own client.
 */
import Provider, { errors, type Configuration, type JWK, type KoaContextWithOIDC } from "oidc-provider";
import type { UserDirectory } from "./users.js";

export interface ProviderSettings {
  /** The `iss` of every token, e.g. http://127.0.0.1:4100 or https://tasks.192.168.49.2.nip.io/idp. */
  readonly issuer: string;
  /** The `aud` of the access tokens (the services' JWT_AUDIENCE). */
  readonly audience: string;
  /**
   * Further resource servers tokens may be issued for (RFC 8707 `resource`), e.g. the mcp server's own
   * audience; read on every token request, so one added later (LocalIdp.addAudience) applies at once.
   * @default none
   */
  readonly extraAudiences?: ReadonlySet<string>;
  /** The web client's id. @default "tasks-web" */
  readonly clientId?: string;
  /** Where the web client may be sent back with a code. */
  readonly redirectUris: readonly string[];
  /** Signing keys (private JWKs with kid); the first one signs. */
  readonly keys: readonly JWK[];
  /** Lifetime of an access token, seconds. @default 600 */
  readonly accessTokenTtlSeconds?: number;
  /** Keys for the session cookies' signatures. */
  readonly cookieKeys: readonly string[];
  /** The path the provider is mounted at (the issuer's path). @default "" */
  readonly mountPath?: string;
}

/** The scope the web client asks for, carried in the access token's `scope` claim. */
export const apiScope = "tasks";
export const defaultClientId = "tasks-web";

export function createProvider(settings: ProviderSettings, users: UserDirectory): Provider {
  const clientId = settings.clientId ?? defaultClientId;
  const resourceServer = (audience: string) => ({
    scope: apiScope,
    audience,
    accessTokenTTL: settings.accessTokenTtlSeconds ?? 600,
    accessTokenFormat: "jwt" as const,
    jwt: { sign: { alg: "RS256" as const } },
  });
  const known = (indicator: string): boolean => indicator === settings.audience || (settings.extraAudiences?.has(indicator) ?? false);
  const config: Configuration = {
    clients: [
      {
        client_id: clientId,
        token_endpoint_auth_method: "none",
        // Refresh tokens: the web app renews its in-memory access token without a redirect (rotated on use).
        grant_types: ["authorization_code", "refresh_token"],
        response_types: ["code"],
        redirect_uris: [...settings.redirectUris],
        post_logout_redirect_uris: [...settings.redirectUris],
      },
    ],
    jwks: { keys: [...settings.keys] },
    cookies: { keys: [...settings.cookieKeys] },
    findAccount: (_ctx, id) => {
      const user = users.get(id);
      return user ? { accountId: id, claims: () => ({ sub: id, email: user.email, email_verified: true, name: user.name }) } : undefined;
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: ["openid", "email", "profile"],
    pkce: { required: () => true },
    // The platform's public client gets a refresh token without offline_access (which would need a consent prompt).
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    features: {
      devInteractions: { enabled: false },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => settings.audience,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, indicator) => {
          if (!known(indicator)) throw new errors.InvalidTarget();
          return resourceServer(indicator);
        },
      },
    },
    // The email claim travels in the access token: the services use it as the default reminder address.
    extraTokenClaims: (_ctx, token) => {
      const accountId = (token as { accountId?: string }).accountId;
      const user = accountId ? users.get(accountId) : undefined;
      return user ? { email: user.email } : undefined;
    },
    ttl: {
      AccessToken: settings.accessTokenTtlSeconds ?? 600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
      IdToken: 600,
    },
    interactions: { url: (_ctx, interaction) => `${settings.mountPath ?? ""}/interaction/${interaction.uid}` },
    // The platform's own client: consented once for every user, so sign-in is login only.
    loadExistingGrant: async (ctx: KoaContextWithOIDC) => {
      const { client, session } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const existing = session.grantIdFor(client.clientId);
      if (existing) return ctx.oidc.provider.Grant.find(existing);
      const grant = new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope("openid email profile");
      grant.addResourceScope(settings.audience, apiScope);
      for (const audience of settings.extraAudiences ?? []) grant.addResourceScope(audience, apiScope);
      await grant.save();
      session.grantIdFor(client.clientId, grant.jti);
      return grant;
    },
    renderError: (ctx, out) => {
      ctx.type = "text/plain; charset=utf-8";
      ctx.body = `${out.error}: ${out.error_description ?? ""}\n`;
    },
  };
  const provider = new Provider(settings.issuer, config);
  // Behind the minikube ingress: trust X-Forwarded-Proto/Host for the URLs it builds.
  provider.proxy = true;
  return provider;
}
