import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

const allowed = new Set(["RuntimeDefault", "Localhost"]);

export const seccompRuntimeDefault = resourcePolicy({
  name: "kubernetes-seccomp-runtime-default",
  description: "Every container runs under the RuntimeDefault (or a Localhost) seccomp profile, set on the pod or the container.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("pss", "restricted/Seccomp", "seccompProfile.type must be RuntimeDefault or Localhost"),
    source("cis-aks", "4.6.2", "Ensure that the seccomp profile is set to RuntimeDefault in your pod definitions"),
    source("checkov", "CKV_K8S_31", "Ensure that the seccomp profile is set to docker/default or runtime/default"),
  ],
  remediationSteps:
    "Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (containers inherit it) and do not override it with Unconfined.",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    const podType = w.podSpec.securityContext?.seccompProfile?.type;
    for (const { container, label } of containersOf(w.podSpec)) {
      const type = container.securityContext?.seccompProfile?.type ?? podType;
      if (!type || !allowed.has(type)) {
        report(
          `${label} must run with seccompProfile.type RuntimeDefault or Localhost (on the pod or the container), found ${type ?? "none"}.`,
        );
      }
    }
  }),
});
