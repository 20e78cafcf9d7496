/**
 * Bearer JWT authentication (jose): an HS256 key or a JWKS URL from config. The user id is `sub`.
 * Handlers read it with `userIdOf(req)`.
 */
import type { NextFunction, Request, Response } from "express";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import { UnauthorizedError } from "./errors.js";

export type AuthConfig =
  | { readonly hs256Key: string | Uint8Array; readonly jwksUrl?: undefined; readonly issuer?: string; readonly audience?: string }
  | { readonly jwksUrl: string; readonly hs256Key?: undefined; readonly issuer?: string; readonly audience?: string };

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

export function authOf(req: Request): AuthContext | undefined {
  return contexts.get(req);
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
    const key = typeof config.hs256Key === "string" ? new TextEncoder().encode(config.hs256Key) : config.hs256Key;
    if (key.length < 32) throw new Error("auth: the HS256 key must be at least 32 bytes");
    verify = async (t) => (await jwtVerify(t, key, { ...opts, algorithms: ["HS256"] })).payload;
  }
  return async (token) => {
    const claims = await verify(token);
    const sub = claims.sub;
    if (typeof sub !== "string" || !USER_ID.test(sub)) throw new Error("token has no usable sub claim");
    return { userId: sub, claims };
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
