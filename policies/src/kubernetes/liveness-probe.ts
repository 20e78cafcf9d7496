import { resourcePolicy, source } from "../lib/metadata.js";
import { batchKinds, containersOf, validateWorkload } from "../lib/kubernetes.js";

export const livenessProbe = resourcePolicy({
  name: "kubernetes-liveness-probe",
  description: "Every long-running container defines a liveness probe, so a hung process is restarted.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("checkov", "CKV_K8S_8", "Liveness Probe Should be Configured")],
  remediationSteps: "Add a livenessProbe (HTTP GET on the service's health route) to every app container; Jobs and CronJobs are exempt.",
  tags: ["kubernetes", "availability", "probes"],
  validateResource: validateWorkload((w, args, report) => {
    if (batchKinds.has(w.kind)) return args.notApplicable(`${w.kind} pods run to completion`);
    for (const { container, label, role } of containersOf(w.podSpec)) {
      if (role === "container" && !container.livenessProbe) report(`${label} must define a livenessProbe.`);
    }
  }),
});
