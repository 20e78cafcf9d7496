import { defaultIngressRateLimits, type IngressRateLimits } from "@tasks/infra/k8s/rate-limit";
import { integer, section } from "./common.js";

/**
 * The ingress rate limits (config key `tasks-platform:ingressRateLimit`, optional on every stack): Traefik
 * answers 429 with Retry-After past them, before a request reaches a service (infra/src/k8s/rate-limit.ts).
 *   perToken:   requests carrying a bearer token, per token (≈ one user on one client);
 *   perAddress: every request, per client address (anonymous ones: CORS preflights, WebSocket upgrades, sign-in).
 * Each limit is `requestsPerMinute` sustained plus `burst` at once; unset keys take the defaults
 * (defaultIngressRateLimits: 600/min burst 60 per token, 1200/min burst 120 per address). The per-user limit
 * in the services (identity.requestsPerMinute) applies behind it.
 */
const limit = section({
  requestsPerMinute: integer(1, 1_000_000).optional(),
  burst: integer(1, 100_000).optional(),
});

export const ingressRateLimitSection = section({ perToken: limit.optional(), perAddress: limit.optional() })
  .optional()
  .superRefine((v, ctx) => {
    if (!v) return;
    const resolved = ingressRateLimits(v);
    if (resolved.perAddress.requestsPerMinute < resolved.perToken.requestsPerMinute)
      ctx.addIssue({
        code: "custom",
        path: ["perAddress", "requestsPerMinute"],
        message: `expected at least perToken.requestsPerMinute (${resolved.perToken.requestsPerMinute}): one address must fit one user's requests`,
        input: undefined,
      });
  });

type LimitConfig = { readonly requestsPerMinute?: number | undefined; readonly burst?: number | undefined } | undefined;

/** The limits a stack deploys: its config over the defaults, key by key. */
export function ingressRateLimits(cfg?: { readonly perToken?: LimitConfig; readonly perAddress?: LimitConfig }): IngressRateLimits {
  const merge = (key: keyof IngressRateLimits) => {
    const d = defaultIngressRateLimits[key];
    const c = cfg?.[key];
    return { requestsPerMinute: c?.requestsPerMinute ?? d.requestsPerMinute, burst: c?.burst ?? d.burst };
  };
  return { perToken: merge("perToken"), perAddress: merge("perAddress") };
}
