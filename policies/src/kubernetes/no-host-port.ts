import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

export const noHostPort = resourcePolicy({
  name: "kubernetes-no-host-port",
  description: "No container binds a port on the node (hostPort); traffic enters through Services and the ingress controller.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("pss", "baseline/Host Ports", "containers[*].ports[*].hostPort must be unset or 0"),
    source("checkov", "CKV_K8S_26", "Do not specify hostPort unless absolutely necessary"),
  ],
  remediationSteps: "Remove ports[*].hostPort and expose the container port through a Service.",
  tags: ["kubernetes", "security", "pod-security", "network"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      for (const p of Array.isArray(container.ports) ? container.ports : []) {
        if (typeof p.hostPort === "number" && p.hostPort !== 0) report(`${label} port ${p.containerPort} binds hostPort ${p.hostPort}.`);
      }
    }
  }),
});
