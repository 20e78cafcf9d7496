import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, stringEntry, type ObjectMeta } from "../lib/kubernetes.js";

export const podSecurityEnforceLabel = "pod-security.kubernetes.io/enforce";

export const namespacePodSecurityLabel = resourcePolicy({
  name: "kubernetes-namespace-pod-security-label",
  description: `Namespaces the program creates ask the Pod Security admission controller to enforce a profile (${podSecurityEnforceLabel}: restricted, or baseline for system components that need it).`,
  enforcementLevel: "advisory",
  severity: "medium",
  sources: [
    source("pss", "Pod Security Admission", "Label namespaces with pod-security.kubernetes.io/enforce"),
    source("cis-aks", "4.2", "Pod Security Standards: apply a policy to every namespace with user workloads"),
  ],
  url: "https://kubernetes.io/docs/concepts/security/pod-security-admission/",
  remediationSteps: `Add the label ${podSecurityEnforceLabel}: restricted to the Namespace (baseline where a system chart cannot run restricted).`,
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: (args, report) => {
    if (args.type !== "kubernetes:core/v1:Namespace") return args.notApplicable("applies to Namespaces");
    const meta = asObject(args.props.metadata) as ObjectMeta;
    const level = stringEntry(meta.labels, podSecurityEnforceLabel);
    const name = objectName(meta, args.name);
    if (level === undefined) report(`Namespace "${name}" has no ${podSecurityEnforceLabel} label.`);
    else if (level !== "restricted" && level !== "baseline")
      report(`Namespace "${name}" enforces the "${level}" pod security profile; use restricted (or baseline).`);
  },
});
