import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

/** The only capability the restricted profile lets a container add back. */
const allowedAdd = new Set(["NET_BIND_SERVICE"]);

export const dropAllCapabilities = resourcePolicy({
  name: "kubernetes-drop-all-capabilities",
  description: "Every container drops ALL Linux capabilities and adds back at most NET_BIND_SERVICE.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("pss", "restricted/Capabilities", "containers must drop ALL and may only add NET_BIND_SERVICE"),
    source("cis-aks", "4.2.9", "Minimize the admission of containers with capabilities assigned"),
    source("checkov", "CKV_K8S_37", "Minimize the admission of containers with capabilities assigned"),
    source("checkov", "CKV_K8S_28", "Minimize the admission of containers with the NET_RAW capability"),
  ],
  remediationSteps:
    'Set securityContext.capabilities.drop: ["ALL"] on every container; listen on ports above 1024 instead of adding capabilities.',
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      const caps = container.securityContext?.capabilities ?? {};
      const drop = Array.isArray(caps.drop) ? caps.drop.map((c) => String(c).toUpperCase()) : [];
      if (!drop.includes("ALL")) report(`${label} must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).`);
      const added = (Array.isArray(caps.add) ? caps.add.map((c) => String(c).toUpperCase()) : []).filter(
        (c) => !allowedAdd.has(c.replace(/^CAP_/, "")),
      );
      if (added.length > 0) report(`${label} adds capabilities ${added.join(", ")}; only NET_BIND_SERVICE may be added.`);
    }
  }),
});
