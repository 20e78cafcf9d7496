import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

export const runAsNonRoot = resourcePolicy({
  name: "kubernetes-run-as-non-root",
  description:
    "Every container runs as a non-root user: runAsNonRoot is true and runAsUser is not 0, on the container or inherited from the pod.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source(
      "pss",
      "restricted/Running as Non-root",
      "spec.securityContext.runAsNonRoot / containers[*].securityContext.runAsNonRoot must be true",
    ),
    source("cis-aks", "4.2.6", "Minimize the admission of root containers"),
    source("checkov", "CKV_K8S_23", "Minimize the admission of root containers"),
  ],
  remediationSteps:
    "Set securityContext.runAsNonRoot: true (and a non-zero runAsUser) on the pod or on every container; build the image with a numeric non-root USER.",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    const pod = w.podSpec.securityContext ?? {};
    for (const { container, label } of containersOf(w.podSpec)) {
      const sc = container.securityContext ?? {};
      const runAsUser = sc.runAsUser ?? pod.runAsUser;
      if (runAsUser === 0) report(`${label} runs as root: securityContext.runAsUser is 0.`);
      else if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true)
        report(`${label} must set securityContext.runAsNonRoot: true (on the container or the pod).`);
    }
  }),
});
