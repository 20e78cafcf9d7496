import { resourcePolicy, source } from "../lib/metadata.js";
import { validateWorkload } from "../lib/kubernetes.js";

export const noHostPath = resourcePolicy({
  name: "kubernetes-no-host-path",
  description: "No pod mounts a hostPath volume (a path of the node's filesystem).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("pss", "baseline/HostPath Volumes", "spec.volumes[*].hostPath must be unset")],
  remediationSteps: "Replace hostPath volumes with emptyDir, configMap, secret or persistentVolumeClaim volumes.",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const v of Array.isArray(w.podSpec.volumes) ? w.podSpec.volumes : []) {
      if (v.hostPath) {
        const path = typeof v.hostPath?.path === "string" ? ` (${v.hostPath.path})` : "";
        report(`volume "${v.name}" mounts a hostPath${path}; use emptyDir, configMap, secret or a persistentVolumeClaim.`);
      }
    }
  }),
});
