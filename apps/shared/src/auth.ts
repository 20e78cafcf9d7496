/**
 * Bearer JWT authentication (jose). In the services, tokens come from the stack's OpenID provider and are
 * verified against its JWKS: issuer, audience, signature with an asymmetric algorithm from the allow-list
 * (never `none`, never HS256, so the provider's public key used as an HMAC secret is refused), exp/nbf with
 * a small clock skew. The JWKS is cached and fetched again on an unknown `kid` (at most every 30 s), so a
 * key rotation needs no restart. Every token must carry `exp`, at most `maxLifetimeSeconds` after its
 * `iat` (or after now, without `iat`). An HS256 key is accepted only from code (unit tests), never from the
 * environment. Handlers read the user with `userIdOf(req)` and `authOf(req)` (user id, email, claims).
 */
import type { NextFunction, Request, Response } from "express";
import { createRemoteJWKSet, jwtVerify } from "jose";
import { TokenRefusedError, UnauthorizedError } from "./errors.js";

/** The asymmetric JWS algorithms a JWKS-verified token may use. */
export const asymmetricAlgorithms = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"] as const;
export type AsymmetricAlgorithm = (typeof asymmetricAlgorithms)[number];

interface AuthCommon {
  readonly issuer?: string;
  readonly audience?: string;
  /** Verified tokens remembered until their `exp`. 0 disables. @default 10000 */
  readonly cacheSize?: number;
  /** Longest lifetime accepted (`exp` minus `iat`, or minus now). @default 86400 */
  readonly maxLifetimeSeconds?: number;
  /** Tolerance on `exp` and `nbf`, seconds. @default 30 */
  readonly clockSkewSeconds?: number;
  /** The claim that identifies the user (Entra ID: `oid`). @default "sub" */
  readonly userIdClaim?: string;
  /** The claim with the user's email address, if any. @default "email" */
  readonly emailClaim?: string;
  /** Browser origins allowed by CORS on the public routes and by the realtime Origin check. @default [] */
  readonly allowedOrigins?: readonly string[];
  /** Requests per minute one user may make to the public routes, then 429. 0 disables. @default 0 */
  readonly requestsPerMinute?: number;
  /** Least time between two JWKS fetches (an unknown kid triggers one). @default 30 */
  readonly jwksCooldownSeconds?: number;
}

/** Default for AuthConfig.maxLifetimeSeconds and the JWT_MAX_LIFETIME_SECONDS setting: one day. */
export const defaultMaxTokenLifetimeSeconds = 86_400;

export type AuthConfig = (
  | {
      readonly jwksUrl: string;
      /** @default ["RS256"] */
      readonly algorithms?: readonly AsymmetricAlgorithm[];
      readonly hs256Key?: undefined;
    }
  /** Unit tests only: a local HMAC key (loadAuthConfig never builds this). */
  | { readonly hs256Key: string | Uint8Array; readonly jwksUrl?: undefined; readonly algorithms?: undefined }
) &
  AuthCommon;

export interface AuthContext {
  readonly userId: string;
  /** The email claim (AuthConfig.emailClaim) when the token carries a well-formed one. */
  readonly email?: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

const contexts = new WeakMap<Request, AuthContext>();

/** The authenticated user (id, email, claims); throws 401 on a route not behind `authenticate`. */
export function authOf(req: Request): AuthContext {
  const ctx = contexts.get(req);
  if (!ctx) throw new UnauthorizedError();
  return ctx;
}

/**
 * Acting-user routes only (acting-user.ts): the user a permitted caller acts for, after the caller was
 * verified as the Dapr sidecar (app token) and as a catalog-listed app id. Never from a request's own claims.
 */
export function actAsUser(req: Request, userId: string): void {
  if (!USER_ID.test(userId)) throw new TokenRefused("acting user id is not 1..200 printable characters");
  contexts.set(req, { userId, claims: {} });
}

/** The authenticated user's id; throws 401 on a route not behind `authenticate`. */
export function userIdOf(req: Request): string {
  return authOf(req).userId;
}

/** A user id is 1..200 printable characters (no control characters). */
const USER_ID = /^[^\u0000-\u001f\u007f]{1,200}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}$/;

/** Why a token was refused, for the log (never for the client). */
export class TokenRefused extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = "TokenRefused";
  }
}

function keyVerifier(config: AuthConfig, opts: Record<string, unknown>): (token: string) => Promise<Record<string, unknown>> {
  if (config.jwksUrl !== undefined) {
    // Cached; an unknown kid triggers a refetch, at most once per cooldown (a flood of forged kids cannot hammer the provider).
    const jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
      cooldownDuration: (config.jwksCooldownSeconds ?? 30) * 1000,
      cacheMaxAge: 600_000,
      timeoutDuration: 5_000,
    });
    const algorithms = [...(config.algorithms ?? ["RS256"])];
    if (algorithms.some((a) => !(asymmetricAlgorithms as readonly string[]).includes(a))) {
      throw new Error(`auth: algorithms must be asymmetric (${asymmetricAlgorithms.join(", ")}), got ${algorithms.join(", ")}`);
    }
    // Fetched now, at start-up, rather than by the first requests: a provider slower than the timeout under load
    // refused every token with ERR_JWKS_TIMEOUT until one fetch got through (bench:load on a saturated machine: 70 to
    // 90 % of requests answered 401). A failed fetch here is tried again by the first request, as before.
    jwks.reload().catch(() => undefined);
    return async (t) => (await jwtVerify(t, jwks, { ...opts, algorithms })).payload;
  }
  const raw = typeof config.hs256Key === "string" ? new TextEncoder().encode(config.hs256Key) : config.hs256Key;
  if (raw.length < 32) throw new Error("auth: the HS256 key must be at least 32 bytes");
  // Import the key once: passing raw bytes makes jose import it on every verification.
  const key = globalThis.crypto.subtle.importKey("raw", Uint8Array.from(raw), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  return async (t) => (await jwtVerify(t, await key, { ...opts, algorithms: ["HS256"] })).payload;
}

export function createTokenVerifier(config: AuthConfig): (token: string) => Promise<AuthContext> {
  const skew = config.clockSkewSeconds ?? 30;
  const opts = {
    ...(config.issuer ? { issuer: config.issuer } : {}),
    ...(config.audience ? { audience: config.audience } : {}),
    clockTolerance: skew,
  };
  const verify = keyVerifier(config, opts);
  const userIdClaim = config.userIdClaim ?? "sub";
  const emailClaim = config.emailClaim ?? "email";
  // Clients send the same token on every request: remember verified tokens (keyed by the whole
  // token, signature included, so nothing can be forged into the cache) until they expire.
  const cache = new Map<string, { ctx: AuthContext; expiresAt: number }>();
  const maxEntries = config.cacheSize ?? 10_000;
  const maxLifetime = config.maxLifetimeSeconds ?? defaultMaxTokenLifetimeSeconds;
  return async (token) => {
    const hit = cache.get(token);
    if (hit && Date.now() < hit.expiresAt) return hit.ctx;
    if (hit) cache.delete(token);
    let claims: Record<string, unknown>;
    try {
      claims = await verify(token);
    } catch (err) {
      throw new TokenRefused((err as { code?: string }).code ?? (err instanceof Error ? err.name : "invalid"));
    }
    const userId = claims[userIdClaim];
    if (typeof userId !== "string" || !USER_ID.test(userId)) throw new TokenRefused(`no usable ${userIdClaim} claim`);
    if (typeof claims.exp !== "number") throw new TokenRefused("no exp claim");
    const now = Date.now() / 1000;
    const from = Math.min(typeof claims.iat === "number" ? claims.iat : now, now);
    if (claims.exp - from > maxLifetime) throw new TokenRefused(`lifetime exceeds ${maxLifetime} s`);
    const email = claims[emailClaim];
    const ctx: AuthContext = { userId, claims, ...(typeof email === "string" && EMAIL.test(email) ? { email } : {}) };
    if (maxEntries > 0 && (typeof claims.nbf !== "number" || claims.nbf * 1000 <= Date.now())) {
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(token, { ctx, expiresAt: (claims.exp + skew) * 1000 });
    }
    return ctx;
  };
}

/** A token in the URL ends up in access logs and browser history: refused, whatever else the request carries. */
const TOKEN_IN_QUERY = /[?&](access_token|token|id_token)=/i;

/** Express middleware: 401 problem+json unless `Authorization: Bearer <valid JWT>`. The reason is logged, never sent. */
export function authenticate(config: AuthConfig) {
  const verify = createTokenVerifier(config);
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const refuse = (reason: string): never => {
      throw new TokenRefusedError(reason);
    };
    if (TOKEN_IN_QUERY.test(req.originalUrl)) refuse("token in the URL query");
    const header = req.get("authorization");
    const match = header ? /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) throw new UnauthorizedError();
    try {
      contexts.set(req, await verify(match[1]));
    } catch (err) {
      refuse(err instanceof TokenRefused ? err.reason : "invalid");
    }
    next();
  };
}
