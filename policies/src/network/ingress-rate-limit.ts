import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm } from "../lib/kubernetes.js";

const gatewayType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:Gateway$/;
const routeType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:HTTPRoute$/;
const middlewareType = /^kubernetes:traefik\.io\/v1alpha1:Middleware$/;

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as unknown[]).map(asObject) : []);
const meta = (r: PolicyResource) => asObject(r.props.metadata);
const nameOf = (r: PolicyResource): string => (typeof meta(r).name === "string" ? String(meta(r).name) : r.name);

type Keying = "address" | "header";

/** How a Middleware's rateLimit groups requests, or undefined when it limits nothing. */
function rateLimitKeying(m: PolicyResource): { keying: Keying; header?: string } | undefined {
  const rl = asObject(asObject(m.props.spec).rateLimit);
  if (typeof rl.average !== "number" || rl.average <= 0) return undefined;
  const criterion = asObject(rl.sourceCriterion);
  if (typeof criterion.requestHeaderName === "string") return { keying: "header", header: criterion.requestHeaderName.toLowerCase() };
  if (criterion.requestHost === true) return undefined;
  return { keying: "address" };
}

/** Every match of the rule requires the header (a rule without matches matches every request). */
const everyMatchRequires = (rule: Record<string, unknown>, header: string): boolean => {
  const matches = list(rule.matches);
  return matches.length > 0 && matches.every((m) => list(m.headers).some((h) => String(h.name).toLowerCase() === header));
};

/**
 * Every rule of a public HTTPRoute (one attached to a Gateway of the stack) that forwards to a backend applies
 * an ingress rate limit keyed on the client address: an ExtensionRef filter naming a Traefik Middleware of the
 * route's namespace, in the stack, with a rateLimit. A limiter keyed on a request header (the per-token one,
 * on Authorization) may only sit on rules whose every match requires that header: Traefik keys a request
 * without it on the empty string, so all anonymous requests would share, and exhaust, one bucket.
 */
export const ingressRateLimit = stackPolicy({
  name: "network-ingress-rate-limit",
  description:
    "Every public HTTPRoute rule that forwards to a backend carries an ingress rate limit per client address (an ExtensionRef to a Traefik rateLimit Middleware of its namespace); a per-header (per-token) limit sits only on rules whose every match requires that header.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source(
      "project",
      "ingress-rate-limit",
      "Per-user (per-token) and per-client-address rate limits on public routes at the ingress (DESIGN.md identity, issue 14)",
    ),
    source("aks-baseline", "Network/Ingress", "The ingress controller protects the workloads from abusive clients"),
  ],
  url: "https://doc.traefik.io/traefik/v3.7/reference/routing-configuration/http/middlewares/ratelimit/",
  remediationSteps:
    "Build public routes with rateLimitedRules (infra/src/k8s/rate-limit.ts) and create the namespace's RateLimitMiddlewares; a new public service gets both from its catalog publicRoutes through GatewayRoutes.",
  tags: ["network", "security", "availability"],
  validateStack: (args, report) => {
    const gateways = args.resources.filter((r) => gatewayType.test(r.type) && !isRenderedByHelm(r.urn));
    const middlewares = args.resources.filter((r) => middlewareType.test(r.type) && !isRenderedByHelm(r.urn));
    for (const r of args.resources.filter((x) => routeType.test(x.type) && !isRenderedByHelm(x.urn))) {
      const ns = meta(r).namespace;
      const parents = list(asObject(r.props.spec).parentRefs).filter((ref) =>
        gateways.some((g) => nameOf(g) === ref.name && meta(g).namespace === (ref.namespace ?? ns)),
      );
      if (parents.length === 0) continue;
      list(asObject(r.props.spec).rules).forEach((rule, i) => {
        if (list(rule.backendRefs).length === 0) return;
        const where = `HTTPRoute "${nameOf(r)}" rule ${i}`;
        const limits = list(rule.filters)
          .filter((f) => f.type === "ExtensionRef")
          .map((f) => asObject(f.extensionRef))
          .filter((ref) => ref.group === "traefik.io" && ref.kind === "Middleware")
          .map((ref) => {
            const m = middlewares.find((x) => nameOf(x) === ref.name && meta(x).namespace === ns);
            if (!m)
              report(`${where} names Middleware "${String(ref.name)}", which the stack does not create in namespace "${String(ns)}".`);
            return m ? { name: String(ref.name), keying: rateLimitKeying(m) } : undefined;
          })
          .filter((l): l is NonNullable<typeof l> => l?.keying !== undefined);
        if (!limits.some((l) => l.keying!.keying === "address"))
          report(
            `${where} forwards to a backend without an ingress rate limit per client address (ExtensionRef to a rateLimit Middleware).`,
          );
        for (const l of limits.filter((x) => x.keying!.keying === "header"))
          if (!everyMatchRequires(rule, l.keying!.header!))
            report(
              `${where} applies "${l.name}", keyed on header ${l.keying!.header}, to requests without that header: they would share one bucket (match the header on every match of the rule).`,
            );
      });
    }
  },
});
