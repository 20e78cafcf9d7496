/**
 * What a public route does besides authentication: CORS for the configured browser origins (preflights
 * answered before authentication, a refused origin gets 403) and a per-user request limit (429 with
 * Retry-After). The limit counts per replica, in fixed one-minute windows; the ingress limits too.
 */
import type { NextFunction, Request, Response } from "express";
import { authOf } from "./auth.js";
import { HttpProblem } from "./errors.js";

const corsMethods = "GET, POST, PUT, PATCH, DELETE";
const corsHeaders = "Authorization, Content-Type, Idempotency-Key, X-Correlation-Id";

/** CORS on the public routes: preflights (OPTIONS with Access-Control-Request-Method) end here. */
export function cors(allowedOrigins: readonly string[]) {
  const allowed = new Set(allowedOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.get("origin");
    const preflight = req.method === "OPTIONS" && req.get("access-control-request-method") !== undefined;
    if (origin === undefined) return next();
    res.vary("Origin");
    if (!allowed.has(origin)) {
      if (preflight) return next(new HttpProblem(403, "Forbidden", "This origin may not call the API."));
      return next();
    }
    res.set("Access-Control-Allow-Origin", origin);
    if (!preflight) return next();
    res.set({
      "Access-Control-Allow-Methods": corsMethods,
      "Access-Control-Allow-Headers": corsHeaders,
      "Access-Control-Max-Age": "600",
    });
    res.status(204).end();
  };
}

/** The preflight check alone, for code that is not Express (the realtime Origin check). */
export const originAllowed = (allowedOrigins: readonly string[], origin: string | undefined): boolean =>
  origin === undefined || allowedOrigins.includes(origin);

/** Per-user fixed-window limit after authentication; `now` for tests. */
export function perUserRateLimit(requestsPerMinute: number, now: () => number = Date.now) {
  return fixedWindowRateLimit({ requestsPerMinute, keyOf: (req) => authOf(req).userId, per: "user", now });
}

/**
 * A fixed-window limit per key (one-minute windows, per replica): 429 with Retry-After beyond
 * `requestsPerMinute`; 0 turns it off. For routes without a user token (e.g. a secret URL), key by the secret.
 */
export function fixedWindowRateLimit(opts: {
  readonly requestsPerMinute: number;
  readonly keyOf: (req: Request) => string;
  /** Named in the 429's detail: "At most N requests a minute per <per>." */
  readonly per: string;
  readonly now?: () => number;
}) {
  const { requestsPerMinute, keyOf, per } = opts;
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number }>();
  return (req: Request, res: Response, next: NextFunction): void => {
    if (requestsPerMinute <= 0) return next();
    const key = keyOf(req);
    const t = now();
    const minute = Math.floor(t / 60_000) * 60_000;
    let w = windows.get(key);
    if (!w || w.start !== minute) {
      // A new minute: forget the keys of older windows, so the map holds this minute's keys only.
      if (windows.size > 10_000) for (const [k, v] of windows) if (v.start !== minute) windows.delete(k);
      w = { start: minute, count: 0 };
      windows.set(key, w);
    }
    w.count += 1;
    res.set("RateLimit-Limit", String(requestsPerMinute));
    if (w.count <= requestsPerMinute) return next();
    const retryAfter = Math.max(1, Math.ceil((minute + 60_000 - t) / 1000));
    next(
      new HttpProblem(429, "Too Many Requests", `At most ${requestsPerMinute} requests a minute per ${per}.`, undefined, {
        "Retry-After": String(retryAfter),
      }),
    );
  };
}
