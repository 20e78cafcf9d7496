import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm, stringEntry } from "../lib/kubernetes.js";

/** Whether a TLS host entry (possibly `*.example.com`) covers `host`. */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  return tlsHost.startsWith("*.") && host.endsWith(tlsHost.slice(1)) && !host.slice(0, -tlsHost.length + 1).includes(".");
}

const redirectOff = ["nginx.ingress.kubernetes.io/ssl-redirect", "nginx.ingress.kubernetes.io/force-ssl-redirect"];

export const ingressTls = resourcePolicy({
  name: "network-ingress-tls",
  description:
    "Every Ingress serves only TLS: each rule names a host that a spec.tls entry covers, and HTTPS redirection is not switched off.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "5.4.5", "Encrypt traffic to HTTPS load balancers with TLS certificates"),
    source("aks-baseline", "Network/TLS ingress", "TLS from the client to the ingress controller"),
  ],
  remediationSteps:
    'Give the Ingress a spec.tls entry (a cert-manager certificate secret) listing every rule host, and do not set ssl-redirect annotations to "false".',
  tags: ["network", "security", "tls"],
  validateResource: (args, report) => {
    if (!/^kubernetes:networking\.k8s\.io\/v1:Ingress$/.test(args.type)) return args.notApplicable("applies to Ingresses");
    if (isRenderedByHelm(args.urn)) return args.notApplicable("rendered from a Helm chart");
    const spec = asObject(args.props.spec);
    const tls = Array.isArray(spec.tls) ? (spec.tls as unknown[]).map(asObject) : [];
    const tlsHosts = tls.flatMap((t) => (Array.isArray(t.hosts) ? (t.hosts as unknown[]).map(String) : []));
    if (tls.length === 0) report("the Ingress has no spec.tls: it would serve plain HTTP.");
    const rules = Array.isArray(spec.rules) ? (spec.rules as unknown[]).map(asObject) : [];
    rules.forEach((rule, i) => {
      const host = typeof rule.host === "string" ? rule.host : undefined;
      if (!host) report(`rule ${i + 1} has no host, so no TLS certificate can cover it.`);
      else if (tls.length > 0 && !tlsHosts.some((h) => covers(h, host)))
        report(`host "${host}" is not covered by any spec.tls hosts entry.`);
    });
    for (const key of redirectOff) {
      if (stringEntry(asObject(args.props.metadata).annotations, key) === "false")
        report(`annotation ${key}: "false" turns HTTPS redirection off.`);
    }
  },
});
