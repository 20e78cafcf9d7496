import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

export const noPrivilegeEscalation = resourcePolicy({
  name: "kubernetes-no-privilege-escalation",
  description:
    "Every container sets allowPrivilegeEscalation: false, so no process can gain more privileges than its parent (setuid binaries, file capabilities).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("pss", "restricted/Privilege Escalation", "containers[*].securityContext.allowPrivilegeEscalation must be false"),
    source("cis-aks", "4.2.5", "Minimize the admission of containers with allowPrivilegeEscalation"),
    source("checkov", "CKV_K8S_20", "Containers should not run with allowPrivilegeEscalation"),
  ],
  remediationSteps: "Set securityContext.allowPrivilegeEscalation: false on every container (it is not inherited from the pod).",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      if (container.securityContext?.allowPrivilegeEscalation !== false)
        report(`${label} must set securityContext.allowPrivilegeEscalation: false.`);
    }
  }),
});
