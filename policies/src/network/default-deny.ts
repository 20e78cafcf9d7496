import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm, workloadOf } from "../lib/kubernetes.js";
import { helmInstallOf } from "../lib/helm.js";

type Direction = "Ingress" | "Egress";

/** Whether a NetworkPolicy denies all traffic in `direction` for every pod of its namespace. */
export function deniesAll(policy: PolicyResource, direction: Direction): boolean {
  const spec = asObject(policy.props.spec);
  const selector = asObject(spec.podSelector);
  const selectsAll =
    Object.keys(asObject(selector.matchLabels)).length === 0 &&
    !(Array.isArray(selector.matchExpressions) && selector.matchExpressions.length > 0);
  const rules = spec[direction === "Ingress" ? "ingress" : "egress"];
  const types = Array.isArray(spec.policyTypes) ? (spec.policyTypes as unknown[]) : direction === "Ingress" ? ["Ingress"] : [];
  return selectsAll && types.includes(direction) && (!Array.isArray(rules) || rules.length === 0);
}

/** Namespaces where the program runs pods: its own workloads and the Helm releases it installs. */
export function workloadNamespaces(resources: readonly PolicyResource[]): Map<string, string[]> {
  const byNamespace = new Map<string, string[]>();
  const add = (ns: string | undefined, what: string) => {
    if (!ns) return;
    byNamespace.set(ns, [...(byNamespace.get(ns) ?? []), what]);
  };
  for (const r of resources) {
    if (isRenderedByHelm(r.urn)) continue;
    const w = workloadOf(r.type, r.props, r.name);
    if (w) add(w.namespace, `${w.kind} ${w.name}`);
    const helm = helmInstallOf(r.type, r.props);
    if (helm) add(helm.namespace, `Helm chart ${helm.chart}`);
  }
  return byNamespace;
}

export const defaultDeny = stackPolicy({
  name: "network-default-deny",
  description:
    "Every namespace that runs workloads (the program's own or a Helm release's) has a default-deny NetworkPolicy for both Ingress and Egress; every allowed path is opened by a further policy.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("cis-aks", "4.4.2", "Ensure that all Namespaces have Network Policies defined"),
    source("aks-baseline", "Network/default deny", "Deny all traffic by default inside the cluster and allow flows explicitly"),
  ],
  remediationSteps:
    "Create in each namespace a NetworkPolicy with podSelector: {} and policyTypes: [Ingress, Egress] and no rules, then allow each required flow explicitly.",
  tags: ["network", "security", "kubernetes"],
  validateStack: (args, report) => {
    const policies = args.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy");
    for (const [namespace, runs] of workloadNamespaces(args.resources)) {
      const inNamespace = policies.filter((p) => asObject(p.props.metadata).namespace === namespace);
      const missing = (["Ingress", "Egress"] as const).filter((d) => !inNamespace.some((p) => deniesAll(p, d)));
      if (missing.length > 0) {
        report(`namespace "${namespace}" runs ${runs.join(", ")} but has no default-deny NetworkPolicy for ${missing.join(" and ")}.`);
      }
    }
  },
});
