import { resourcePolicy, source } from "../lib/metadata.js";
import { validateWorkload } from "../lib/kubernetes.js";

export const noHostIpc = resourcePolicy({
  name: "kubernetes-no-host-ipc",
  description: "No pod shares the node's IPC namespace (hostIPC).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("pss", "baseline/Host Namespaces", "spec.hostIPC must be unset or false"),
    source("cis-aks", "4.2.3", "Minimize the admission of containers wishing to share the host IPC namespace"),
    source("checkov", "CKV_K8S_18", "Containers should not share the host IPC namespace"),
  ],
  remediationSteps: "Remove spec.hostIPC (or set it to false).",
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    if (w.podSpec.hostIPC === true) report("the pod must not share the node's IPC namespace (spec.hostIPC: true).");
  }),
});
