import { resourcePolicy, source } from "../lib/metadata.js";
import { validateWorkload } from "../lib/kubernetes.js";

export const noHostNetwork = resourcePolicy({
  name: "kubernetes-no-host-network",
  description: "No pod shares the node's network namespace (hostNetwork).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("pss", "baseline/Host Namespaces", "spec.hostNetwork must be unset or false"),
    source("cis-aks", "4.2.4", "Minimize the admission of containers wishing to share the host network namespace"),
    source("checkov", "CKV_K8S_19", "Containers should not share the host network namespace"),
  ],
  remediationSteps: "Remove spec.hostNetwork (or set it to false) and expose the workload through a Service.",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    if (w.podSpec.hostNetwork === true) report("the pod must not share the node's network namespace (spec.hostNetwork: true).");
  }),
});
