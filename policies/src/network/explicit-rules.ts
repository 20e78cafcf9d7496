import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject } from "../lib/kubernetes.js";

const everywhere = new Set(["0.0.0.0/0", "::/0"]);

/** Why a peer admits any address, or undefined if it is specific. */
function openPeer(peer: Record<string, unknown>): string | undefined {
  const keys = Object.keys(peer);
  if (keys.length === 0) return "an empty peer matches everything";
  const ip = asObject(peer.ipBlock);
  if (typeof ip.cidr === "string" && everywhere.has(ip.cidr)) return `ipBlock ${ip.cidr}`;
  const ns = peer.namespaceSelector;
  if (ns !== undefined && Object.keys(asObject(ns)).length === 0 && peer.podSelector === undefined)
    return "namespaceSelector: {} matches every namespace";
  return undefined;
}

export const explicitRules = resourcePolicy({
  name: "network-policy-explicit-rules",
  description:
    "NetworkPolicy rules allow specific paths: a rule with no peers, an empty peer, 0.0.0.0/0 or every namespace must at least restrict the ports.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("aks-baseline", "Network/least privilege", "Allow only the network flows a workload needs"),
    source("cis-aks", "4.4.2", "Ensure that all Namespaces have Network Policies defined"),
  ],
  remediationSteps: "Name the peer (podSelector, a labelled namespaceSelector, or a specific CIDR) or list the ports the rule opens.",
  tags: ["network", "security"],
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:networking.k8s.io/v1:NetworkPolicy") return args.notApplicable("applies to NetworkPolicies");
    const spec = asObject(args.props.spec);
    for (const [field, peersField] of [
      ["ingress", "from"],
      ["egress", "to"],
    ] as const) {
      const rules = Array.isArray(spec[field]) ? (spec[field] as unknown[]).map(asObject) : [];
      rules.forEach((rule, i) => {
        const ports = Array.isArray(rule.ports) ? rule.ports : [];
        if (ports.length > 0) return;
        const peers = Array.isArray(rule[peersField]) ? (rule[peersField] as unknown[]).map(asObject) : [];
        if (peers.length === 0) {
          report(`${field} rule ${i + 1} has no ${peersField} and no ports: it allows all ${field} traffic.`);
          return;
        }
        for (const peer of peers) {
          const why = openPeer(peer);
          if (why) report(`${field} rule ${i + 1} allows any address on any port (${why}); restrict the peer or the ports.`);
        }
      });
    }
  },
});
