import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";
import { missingResources } from "./resource-requests.js";

export const resourceLimits = resourcePolicy({
  name: "kubernetes-resource-limits",
  description: "Every container limits its CPU and memory, so one workload cannot starve the node.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("checkov", "CKV_K8S_11", "CPU limits should be set"), source("checkov", "CKV_K8S_13", "Memory limits should be set")],
  remediationSteps:
    "Set resources.limits.cpu and resources.limits.memory on every container (the catalog's ResourceSpec for app services).",
  tags: ["kubernetes", "availability", "resources"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      const missing = missingResources(container.resources, "limits");
      if (missing.length > 0) report(`${label} must set resources.limits for ${missing.join(" and ")}.`);
    }
  }),
});
