import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm } from "../lib/kubernetes.js";

const gatewayType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:Gateway$/;
const routeType = /^kubernetes:gateway\.networking\.k8s\.io\/v1(beta1)?:HTTPRoute$/;

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? (v as unknown[]).map(asObject) : []);
const meta = (r: PolicyResource) => asObject(r.props.metadata);
const nameOf = (r: PolicyResource): string => (typeof meta(r).name === "string" ? String(meta(r).name) : r.name);

/** A rule that only redirects to HTTPS: what a plain-HTTP listener may serve. */
const redirectsToHttps = (rule: Record<string, unknown>): boolean =>
  list(rule.backendRefs).length === 0 &&
  list(rule.filters).some((f) => f.type === "RequestRedirect" && asObject(f.requestRedirect).scheme === "https");

/**
 * The Gateway API counterpart of network-ingress-tls: every HTTPS listener terminates TLS with a certificate,
 * a plain-HTTP listener admits routes of its own namespace only (the redirect and cert-manager's HTTP-01
 * solver routes), and an HTTPRoute attached to a plain-HTTP listener only redirects to HTTPS.
 */
export const gatewayTls = stackPolicy({
  name: "network-gateway-tls",
  description:
    "The public Gateway serves only TLS: every HTTPS listener terminates TLS with a certificate, a plain-HTTP listener admits only routes of its own namespace, and every HTTPRoute on a plain-HTTP listener only redirects to HTTPS.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "5.4.5", "Encrypt traffic to HTTPS load balancers with TLS certificates"),
    source("aks-baseline", "Network/TLS ingress", "TLS from the client to the ingress controller"),
  ],
  remediationSteps:
    "Give each HTTPS listener tls.mode Terminate and a certificateRefs entry (the cert-manager secret); set allowedRoutes.namespaces.from: Same on HTTP listeners; attach service HTTPRoutes to the HTTPS listener by sectionName.",
  tags: ["network", "security", "tls"],
  validateStack: (args, report) => {
    const gateways = args.resources.filter((r) => gatewayType.test(r.type) && !isRenderedByHelm(r.urn));
    for (const g of gateways) {
      for (const l of list(asObject(g.props.spec).listeners)) {
        const where = `Gateway "${nameOf(g)}" listener "${String(l.name)}"`;
        const tls = asObject(l.tls);
        if (l.protocol === "HTTPS" && (tls.mode === "Passthrough" || list(tls.certificateRefs).length === 0))
          report(`${where} is HTTPS but terminates no TLS with a certificate (tls.certificateRefs).`);
        if (l.protocol === "HTTP" && asObject(asObject(l.allowedRoutes).namespaces).from !== "Same")
          report(`${where} is plain HTTP and admits routes from other namespaces (allowedRoutes.namespaces.from must be Same).`);
      }
    }
    for (const r of args.resources.filter((x) => routeType.test(x.type) && !isRenderedByHelm(x.urn))) {
      const ns = meta(r).namespace;
      const rules = list(asObject(r.props.spec).rules);
      for (const ref of list(asObject(r.props.spec).parentRefs)) {
        const gateway = gateways.find((g) => nameOf(g) === ref.name && meta(g).namespace === (ref.namespace ?? ns));
        if (!gateway) continue;
        const listeners = list(asObject(gateway.props.spec).listeners).filter(
          (l) => ref.sectionName === undefined || l.name === ref.sectionName,
        );
        const plain = listeners.filter((l) => l.protocol === "HTTP").map((l) => String(l.name));
        if (plain.length > 0 && !rules.every(redirectsToHttps))
          report(
            `HTTPRoute "${nameOf(r)}" serves backends on plain-HTTP listener(s) ${plain.join(", ")} of Gateway "${nameOf(gateway)}": attach it to the HTTPS listener (sectionName).`,
          );
      }
    }
  },
});
