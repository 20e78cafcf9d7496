import { resourcePolicy, source } from "../lib/metadata.js";
import { stringEntry, validateWorkload } from "../lib/kubernetes.js";

/** Annotation (on the workload or its pod template) that documents why the pod needs its API token. */
export const tokenExceptionAnnotation = "policy.tasks-platform.dev/service-account-token";

export const noServiceAccountToken = resourcePolicy({
  name: "kubernetes-no-service-account-token",
  description: `Pods do not mount a Kubernetes API token unless they need one: automountServiceAccountToken is false, or the pod carries the annotation ${tokenExceptionAnnotation} stating why it needs the token.`,
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("cis-aks", "4.1.6", "Ensure that Service Account Tokens are only mounted where necessary"),
    source("checkov", "CKV_K8S_38", "Ensure that Service Account Tokens are only mounted where necessary"),
  ],
  remediationSteps: `Set spec.automountServiceAccountToken: false on the pod template; if the pod calls the Kubernetes API, keep the token and annotate the pod template with ${tokenExceptionAnnotation}: "<why>".`,
  tags: ["kubernetes", "security", "identity"],
  validateResource: validateWorkload((w, _args, report) => {
    if (w.podSpec.automountServiceAccountToken === false) return;
    const reason =
      stringEntry(w.podMetadata.annotations, tokenExceptionAnnotation) ?? stringEntry(w.metadata.annotations, tokenExceptionAnnotation);
    if (reason !== undefined && reason.trim() !== "") return;
    report(
      `the pod must set automountServiceAccountToken: false, or carry the annotation ${tokenExceptionAnnotation} saying why it needs the API token.`,
    );
  }),
});
