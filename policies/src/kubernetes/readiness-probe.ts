import { resourcePolicy, source } from "../lib/metadata.js";
import { batchKinds, containersOf, validateWorkload } from "../lib/kubernetes.js";

export const readinessProbe = resourcePolicy({
  name: "kubernetes-readiness-probe",
  description: "Every long-running container defines a readiness probe, so traffic reaches only pods that can serve it.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("checkov", "CKV_K8S_9", "Readiness Probe Should be Configured")],
  remediationSteps:
    "Add a readinessProbe (HTTP GET on the service's readiness route) to every app container; Jobs and CronJobs are exempt.",
  tags: ["kubernetes", "availability", "probes"],
  validateResource: validateWorkload((w, args, report) => {
    if (batchKinds.has(w.kind)) return args.notApplicable(`${w.kind} pods run to completion`);
    for (const { container, label, role } of containersOf(w.podSpec)) {
      if (role === "container" && !container.readinessProbe) report(`${label} must define a readinessProbe.`);
    }
  }),
});
