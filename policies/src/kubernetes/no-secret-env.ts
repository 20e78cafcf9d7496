import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, containersOf, validateWorkload } from "../lib/kubernetes.js";
import { peek } from "../lib/unknown.js";

/** Environment variable names that hold a credential when given a literal value. */
const sensitiveName = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CONNECTION_?STRING|CREDENTIALS?)$/i;

/** Literal values that embed a credential whatever the variable is called. */
export const credentialValue = /(:\/\/[^/\s:@]+:[^/\s@]+@)|((SharedAccessKey|AccountKey|Password|Pwd)\s*=\s*[^;\s]+)/i;

export const noSecretEnv = resourcePolicy({
  name: "kubernetes-no-secret-env",
  description:
    "No secret reaches a container through environment variables: no secretKeyRef, no envFrom secretRef, no literal credential. Apps read secrets from the Dapr secret store or from mounted files.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("cis-aks", "4.5.1", "Prefer using secrets as files over secrets as environment variables"),
    source("checkov", "CKV_K8S_35", "Prefer using secrets as files over secrets as environment variables"),
  ],
  remediationSteps:
    "Read secrets through the Dapr secret store (Key Vault on Azure) or mount the Secret as a read-only volume; remove env valueFrom.secretKeyRef, envFrom.secretRef and literal credentials.",
  tags: ["kubernetes", "security", "secrets"],
  validateResource: validateWorkload((w, _args, report) => {
    for (const { container, label } of containersOf(w.podSpec)) {
      for (const e of Array.isArray(container.env) ? container.env : []) {
        const ref = e.valueFrom?.secretKeyRef;
        if (ref)
          report(
            `${label} env "${e.name}" reads key "${ref.key}" of Secret "${ref.name}"; mount the secret as a file or read it from the Dapr secret store.`,
          );
        else if ("value" in asObject(e) && sensitiveName.test(String(e.name)))
          report(`${label} env "${e.name}" holds a literal credential; read it from the Dapr secret store instead.`);
        else {
          const value = peek(() => e.value);
          if (value.known && typeof value.value === "string" && credentialValue.test(value.value))
            report(`${label} env "${e.name}" embeds a credential in its value; read it from the Dapr secret store instead.`);
        }
      }
      for (const from of Array.isArray(container.envFrom) ? container.envFrom : []) {
        if (from.secretRef)
          report(`${label} imports every key of Secret "${from.secretRef.name}" as environment variables (envFrom.secretRef).`);
      }
    }
  }),
});
