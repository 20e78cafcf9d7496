import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

export const noPrivilegedContainers = resourcePolicy({
  name: "kubernetes-no-privileged-containers",
  description: "No container runs privileged (full access to the node's devices and kernel).",
  enforcementLevel: "mandatory",
  severity: "critical",
  sources: [
    source("pss", "baseline/Privileged Containers", "securityContext.privileged must be unset or false"),
    source("cis-aks", "4.2.1", "Minimize the admission of privileged containers"),
    source("checkov", "CKV_K8S_16", "Container should not be privileged"),
  ],
  remediationSteps:
    "Remove securityContext.privileged (or set it to false); grant the specific capability or device the workload needs instead.",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      if (container.securityContext?.privileged === true) report(`${label} must not run privileged (securityContext.privileged: true).`);
    }
  }),
});
