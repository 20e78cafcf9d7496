import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

export const readOnlyRootFilesystem = resourcePolicy({
  name: "kubernetes-read-only-root-filesystem",
  description: "Every container mounts its root filesystem read-only; writable paths are explicit emptyDir volumes.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("checkov", "CKV_K8S_22", "Use read-only filesystem for containers where possible"),
    source("cis-aks", "4.6.3", "Apply Security Context to Your Pods and Containers"),
  ],
  remediationSteps:
    "Set securityContext.readOnlyRootFilesystem: true on every container and mount an emptyDir at each path the process writes (for example /tmp).",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      if (container.securityContext?.readOnlyRootFilesystem !== true)
        report(`${label} must set securityContext.readOnlyRootFilesystem: true.`);
    }
  }),
});
