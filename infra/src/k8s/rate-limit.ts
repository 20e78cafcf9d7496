import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { partOfLabels } from "./names.js";

/**
 * The ingress rate limits: Traefik `Middleware` objects (traefik.io/v1alpha1, rateLimit) that the public
 * HTTPRoutes reference as `ExtensionRef` filters. Traefik's kubernetesGateway provider resolves such a filter
 * to the kubernetesCRD provider's middleware `<namespace>-<name>@kubernetescrd` (pkg/provider/kubernetes/crd
 * FillExtensionBuilderRegistry), so that provider runs too (ingress-controller.ts). An ExtensionRef is a local
 * reference: each namespace with public routes gets its own pair.
 *
 * Two buckets per request path:
 * - per token: keyed on the `Authorization` header, i.e. one bucket per access token (≈ one user on one
 *   client). Traefik keys a request without the header on the empty string, which would make every anonymous
 *   request share one bucket, so only the route rule that matches requests carrying a bearer token gets it;
 * - per address: keyed on the client address (the controller Service keeps it: externalTrafficPolicy Local),
 *   on every rule: anonymous requests (CORS preflights, WebSocket upgrades, the sign-in pages) and a ceiling
 *   on what one address may send whatever tokens it presents.
 * Traefik answers 429 with Retry-After. The buckets are per controller replica (in memory).
 */
export interface RateLimit {
  /** Sustained requests per minute. */
  readonly requestsPerMinute: number;
  /** Requests allowed at once above the sustained rate (Traefik's token bucket size). */
  readonly burst: number;
}

export interface IngressRateLimits {
  readonly perToken: RateLimit;
  readonly perAddress: RateLimit;
}

/** What a stack gets when its config sets no `ingressRateLimit` (stacks/src/config/ingress-rate-limit.ts). */
export const defaultIngressRateLimits: IngressRateLimits = {
  perToken: { requestsPerMinute: 600, burst: 60 },
  perAddress: { requestsPerMinute: 1200, burst: 120 },
};

/** Names of the two Middlewares, the same in every namespace that has public routes. */
export const rateLimitMiddlewares = { perToken: "rate-limit-per-token", perAddress: "rate-limit-per-address" } as const;

/** The header the per-token bucket is keyed on, and the match that selects requests carrying a bearer token. */
export const tokenHeader = "Authorization";
export const bearerTokenMatch = { type: "RegularExpression", name: tokenHeader, value: "^Bearer .+" } as const;

const middleware = (namespace: string, name: string, limit: RateLimit, sourceCriterion: Record<string, unknown>) => ({
  apiVersion: "traefik.io/v1alpha1",
  kind: "Middleware",
  metadata: { name, namespace, labels: { ...partOfLabels } },
  spec: { rateLimit: { average: limit.requestsPerMinute, period: "1m", burst: limit.burst, sourceCriterion } },
});

/** The two rate-limit Middlewares of a namespace. */
export function rateLimitMiddlewareManifests(namespace: string, limits: IngressRateLimits) {
  return [
    middleware(namespace, rateLimitMiddlewares.perToken, limits.perToken, { requestHeaderName: tokenHeader }),
    // An empty ipStrategy: the request's remote address (the client's, the Service keeping it).
    middleware(namespace, rateLimitMiddlewares.perAddress, limits.perAddress, { ipStrategy: {} }),
  ];
}

/** An HTTPRoute filter that applies a Middleware of the route's namespace. */
export const middlewareFilter = (name: string) => ({
  type: "ExtensionRef",
  extensionRef: { group: "traefik.io", kind: "Middleware", name },
});

interface PathMatch {
  readonly path: { readonly type: string; readonly value: string };
}

/**
 * One route rule as two: requests with a bearer token (the header match gives this rule Traefik's higher
 * priority) pass both buckets, the others the per-address bucket only. `filters` are the rule's own (HSTS).
 */
export function rateLimitedRules<F extends object, B extends object>(rule: {
  readonly matches: readonly PathMatch[];
  readonly filters: readonly F[];
  readonly backendRefs: readonly B[];
}) {
  const perAddress = middlewareFilter(rateLimitMiddlewares.perAddress);
  return [
    {
      matches: rule.matches.map((m) => ({ ...m, headers: [{ ...bearerTokenMatch }] })),
      filters: [...rule.filters, perAddress, middlewareFilter(rateLimitMiddlewares.perToken)],
      backendRefs: [...rule.backendRefs],
    },
    { matches: [...rule.matches], filters: [...rule.filters, perAddress], backendRefs: [...rule.backendRefs] },
  ];
}

export interface RateLimitMiddlewaresArgs {
  readonly namespace: string;
  readonly limits: IngressRateLimits;
  /** The namespace and the Middleware CRD (the CRD step). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The two rate-limit Middlewares of one namespace with public routes; its HTTPRoutes depend on `resources`. */
export class RateLimitMiddlewares extends pulumi.ComponentResource {
  readonly resources: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: RateLimitMiddlewaresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:RateLimitMiddlewares", name, {}, opts);
    for (const [key, limit] of Object.entries(args.limits) as [keyof IngressRateLimits, RateLimit][]) {
      if (!Number.isInteger(limit.requestsPerMinute) || limit.requestsPerMinute < 1)
        throw new pulumi.ResourceError(
          `limits.${key}.requestsPerMinute: expected a positive integer, got ${limit.requestsPerMinute}`,
          this,
        );
      if (!Number.isInteger(limit.burst) || limit.burst < 1)
        throw new pulumi.ResourceError(`limits.${key}.burst: expected a positive integer, got ${limit.burst}`, this);
    }
    this.resources = rateLimitMiddlewareManifests(args.namespace, args.limits).map(
      (m) => new k8s.apiextensions.CustomResource(`${name}-${m.metadata.name}`, m, { parent: this, dependsOn: args.dependsOn }),
    );
    this.registerOutputs({});
  }
}
