import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, containersOf, validateWorkload } from "../lib/kubernetes.js";

/** The resource names (`cpu`, `memory`) missing from a container's requests or limits. */
export function missingResources(resources: unknown, field: "requests" | "limits"): string[] {
  const values = asObject(asObject(resources)[field]);
  return ["cpu", "memory"].filter((r) => values[r] === undefined || values[r] === null || values[r] === "");
}

export const resourceRequests = resourcePolicy({
  name: "kubernetes-resource-requests",
  description: "Every container requests CPU and memory, so the scheduler places it on a node with room for it.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("checkov", "CKV_K8S_10", "CPU requests should be set"),
    source("checkov", "CKV_K8S_12", "Memory requests should be set"),
  ],
  remediationSteps:
    "Set resources.requests.cpu and resources.requests.memory on every container (the catalog's ResourceSpec for app services).",
  tags: ["kubernetes", "availability", "resources"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      const missing = missingResources(container.resources, "requests");
      if (missing.length > 0) report(`${label} must set resources.requests for ${missing.join(" and ")}.`);
    }
  }),
});
