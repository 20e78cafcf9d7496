import { resourcePolicy, source } from "../lib/metadata.js";
import { validateWorkload } from "../lib/kubernetes.js";

export const noHostPid = resourcePolicy({
  name: "kubernetes-no-host-pid",
  description: "No pod shares the node's process ID namespace (hostPID).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("pss", "baseline/Host Namespaces", "spec.hostPID must be unset or false"),
    source("cis-aks", "4.2.2", "Minimize the admission of containers wishing to share the host process ID namespace"),
    source("checkov", "CKV_K8S_17", "Containers should not share the host process ID namespace"),
  ],
  remediationSteps: "Remove spec.hostPID (or set it to false).",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    if (w.podSpec.hostPID === true) report("the pod must not share the node's process ID namespace (spec.hostPID: true).");
  }),
});
