import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, validateWorkload } from "../lib/kubernetes.js";

/** Volume sources the "restricted" profile allows. */
export const restrictedVolumeTypes = [
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
] as const;

const allowed: ReadonlySet<string> = new Set(restrictedVolumeTypes);

export const restrictedVolumeTypesPolicy = resourcePolicy({
  name: "kubernetes-restricted-volume-types",
  description: `Pods use only the volume types the restricted profile allows: ${restrictedVolumeTypes.join(", ")}.`,
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("pss", "restricted/Volume Types", "spec.volumes[*] must be one of the allowed volume sources")],
  remediationSteps:
    "Replace other volume sources (hostPath, nfs, iscsi, gitRepo, cloud disks...) with a persistentVolumeClaim or csi volume.",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const v of Array.isArray(w.podSpec.volumes) ? w.podSpec.volumes : []) {
      const types = Object.keys(asObject(v)).filter((k) => k !== "name");
      const bad = types.filter((t) => !allowed.has(t));
      if (bad.length > 0)
        report(`volume "${v.name}" has type ${bad.join(", ")}; the restricted profile allows only ${restrictedVolumeTypes.join(", ")}.`);
    }
  }),
});
