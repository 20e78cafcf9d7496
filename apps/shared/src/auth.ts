/**
 * Bearer JWT authentication (jose): an HS256 key or a JWKS URL from config. The user id is `sub`.
 * Every token must carry `exp`, at most `maxLifetimeSeconds` after its `iat` (or after now, without
 * `iat`): a signed token that never expires is refused. Handlers read the user with `userIdOf(req)`.
 */
import type { NextFunction, Request, Response } from "express";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { UnauthorizedError } from "./errors.js";

interface AuthCommon {
  readonly issuer?: string;
  readonly audience?: string;
  /** Verified tokens remembered until their `exp`. 0 disables. @default 10000 */
  readonly cacheSize?: number;
  /** Longest lifetime accepted (`exp` minus `iat`, or minus now). @default 86400 */
  readonly maxLifetimeSeconds?: number;
}

/** Default for AuthConfig.maxLifetimeSeconds and the JWT_MAX_LIFETIME_SECONDS setting: one day. */
export const defaultMaxTokenLifetimeSeconds = 86_400;

export type AuthConfig = (
  { readonly hs256Key: string | Uint8Array; readonly jwksUrl?: undefined } | { readonly jwksUrl: string; readonly hs256Key?: undefined }
) &
  AuthCommon;

export interface AuthContext {
  readonly userId: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

const contexts = new WeakMap<Request, AuthContext>();

/** The authenticated user's id; throws 401 on a route not behind `authenticate`. */
export function userIdOf(req: Request): string {
  const ctx = contexts.get(req);
  if (!ctx) throw new UnauthorizedError();
  return ctx.userId;
}

/** A user id is 1..200 printable characters (no control characters). */
const USER_ID = /^[^\u0000-\u001f\u007f]{1,200}$/;

export function createTokenVerifier(config: AuthConfig): (token: string) => Promise<AuthContext> {
  const opts = { ...(config.issuer ? { issuer: config.issuer } : {}), ...(config.audience ? { audience: config.audience } : {}) };
  let verify: (token: string) => Promise<Record<string, unknown>>;
  if (config.jwksUrl !== undefined) {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl));
    verify = async (t) => (await jwtVerify(t, jwks, { ...opts, algorithms: ["RS256", "PS256", "ES256", "EdDSA"] })).payload;
  } else {
    const raw = typeof config.hs256Key === "string" ? new TextEncoder().encode(config.hs256Key) : config.hs256Key;
    if (raw.length < 32) throw new Error("auth: the HS256 key must be at least 32 bytes");
    // Import the key once: passing raw bytes makes jose import it on every verification.
    const key = globalThis.crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
    verify = async (t) => (await jwtVerify(t, await key, { ...opts, algorithms: ["HS256"] })).payload;
  }
  // Clients send the same token on every request: remember verified tokens (keyed by the whole
  // token, signature included, so nothing can be forged into the cache) until they expire.
  const cache = new Map<string, { ctx: AuthContext; expiresAt: number }>();
  const maxEntries = config.cacheSize ?? 10_000;
  const maxLifetime = config.maxLifetimeSeconds ?? defaultMaxTokenLifetimeSeconds;
  return async (token) => {
    const hit = cache.get(token);
    if (hit && Date.now() < hit.expiresAt) return hit.ctx;
    if (hit) cache.delete(token);
    const claims = await verify(token);
    const sub = claims.sub;
    if (typeof sub !== "string" || !USER_ID.test(sub)) throw new Error("token has no usable sub claim");
    if (typeof claims.exp !== "number") throw new Error("token has no exp claim");
    const now = Date.now() / 1000;
    const from = Math.min(typeof claims.iat === "number" ? claims.iat : now, now);
    if (claims.exp - from > maxLifetime) throw new Error(`token lifetime exceeds ${maxLifetime} s`);
    const ctx = { userId: sub, claims };
    if (maxEntries > 0 && (typeof claims.nbf !== "number" || claims.nbf * 1000 <= Date.now())) {
      if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
      cache.set(token, { ctx, expiresAt: claims.exp * 1000 });
    }
    return ctx;
  };
}

/** Express middleware: 401 problem+json unless `Authorization: Bearer <valid JWT>`. */
export function authenticate(config: AuthConfig) {
  const verify = createTokenVerifier(config);
  return async (req: Request, _res: Response, next: NextFunction): Promise<void> => {
    const header = req.get("authorization");
    const match = header ? /^Bearer ([A-Za-z0-9_\-.]+)$/i.exec(header.trim()) : null;
    if (!match?.[1]) throw new UnauthorizedError();
    try {
      contexts.set(req, await verify(match[1]));
    } catch {
      throw new UnauthorizedError("The bearer token is invalid or expired.");
    }
    next();
  };
}
