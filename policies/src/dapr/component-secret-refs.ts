import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { componentMetadata, daprKindOf } from "../lib/dapr.js";
import { peek } from "../lib/unknown.js";
import { credentialValue } from "../kubernetes/no-secret-env.js";

/** Component metadata fields that carry a credential. */
const sensitiveField =
  /(password|passwd|secret|token|connectionstring|accesskey|apikey|privatekey|sharedaccesskey|masterkey|clientkey|credential)/i;
/** Fields that only name or locate a secret. */
const referenceField = /(name|id|path|type|ref|store|file)$/i;

export const isSensitiveField = (name: string): boolean => sensitiveField.test(name) && !referenceField.test(name);

export const componentSecretRefs = resourcePolicy({
  name: "dapr-component-secret-refs",
  description:
    "No Dapr Component holds a credential in plain text: passwords, keys, tokens and connection strings come from a secret store through secretKeyRef.",
  enforcementLevel: "mandatory",
  severity: "critical",
  sources: [
    source("dapr", "components/secret references", "Reference secrets in component metadata with secretKeyRef"),
    source("cis-aks", "4.5.2", "Consider external secret storage"),
  ],
  url: "https://docs.dapr.io/operations/components/component-secrets/",
  remediationSteps:
    "Replace value with secretKeyRef: {name, key} and set auth.secretStore to the stack's secret store (Key Vault on Azure).",
  tags: ["dapr", "security", "secrets"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Component") return args.notApplicable("applies to Dapr Components");
    const name = objectName(asObject(args.props.metadata) as ObjectMeta, args.name);
    for (const item of componentMetadata(asObject(args.props.spec))) {
      if (!item.hasValue || item.hasSecretRef) continue;
      if (isSensitiveField(item.name)) {
        report(`Component "${name}" sets "${item.name}" as a plain value; use secretKeyRef.`);
        continue;
      }
      const value = peek(() => item.raw.value);
      if (value.known && typeof value.value === "string" && credentialValue.test(value.value)) {
        report(`Component "${name}" embeds a credential in the value of "${item.name}"; use secretKeyRef.`);
      }
    }
  },
});
