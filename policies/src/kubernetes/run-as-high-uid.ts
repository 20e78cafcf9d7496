import { resourcePolicy, source } from "../lib/metadata.js";
import { containersOf, validateWorkload } from "../lib/kubernetes.js";

export const minimumUid = 10000;

export const runAsHighUid = resourcePolicy({
  name: "kubernetes-run-as-high-uid",
  description: `Containers run with an explicit user id of at least ${minimumUid}, which cannot collide with a user of the node.`,
  enforcementLevel: "advisory",
  severity: "low",
  sources: [source("checkov", "CKV_K8S_40", "Containers should run as a high UID to avoid host conflict")],
  remediationSteps: `Set securityContext.runAsUser (and runAsGroup) to ${minimumUid} or more on the pod, and build the image with that USER.`,
  tags: ["kubernetes", "security", "pod-security"],
  validateResource: validateWorkload((w, _args, report) => {
    const podUid = w.podSpec.securityContext?.runAsUser;
    for (const { container, label } of containersOf(w.podSpec)) {
      const uid = container.securityContext?.runAsUser ?? podUid;
      if (typeof uid !== "number") report(`${label} does not set securityContext.runAsUser; set a user id of at least ${minimumUid}.`);
      else if (uid < minimumUid) report(`${label} runs as user ${uid}; use a user id of at least ${minimumUid}.`);
    }
  }),
});
