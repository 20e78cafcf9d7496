import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject } from "../lib/kubernetes.js";

const roleTypes = /^kubernetes:rbac\.authorization\.k8s\.io\/v1:(Role|ClusterRole)$/;

export const rbacNoWildcards = resourcePolicy({
  name: "kubernetes-rbac-no-wildcards",
  description: 'Roles and ClusterRoles grant named verbs on named resources: no "*" in apiGroups, resources or verbs.',
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("cis-aks", "4.1.3", "Minimize wildcard use in Roles and ClusterRoles"),
    source("checkov", "CKV_K8S_49", "Minimize wildcard use in Roles and ClusterRoles"),
  ],
  remediationSteps: "List the exact apiGroups, resources and verbs the subject needs.",
  tags: ["kubernetes", "security", "rbac"],
  validateResource: (args, report) => {
    const m = roleTypes.exec(args.type);
    if (!m) return args.notApplicable("applies to Roles and ClusterRoles");
    const rules = Array.isArray(args.props.rules) ? (args.props.rules as unknown[]) : [];
    rules.forEach((rule, i) => {
      const r = asObject(rule);
      const wild = (["apiGroups", "resources", "verbs"] as const).filter((f) => Array.isArray(r[f]) && (r[f] as unknown[]).includes("*"));
      if (wild.length > 0) report(`${m[1]} rule ${i + 1} uses "*" in ${wild.join(", ")}.`);
    });
  },
});
