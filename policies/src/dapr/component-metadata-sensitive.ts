import { peek } from "../lib/unknown.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { componentsReferenceUrl, metadataSchemaSource, withComponentSchema } from "../lib/dapr-lint.js";

export const componentMetadataSensitive = resourcePolicy({
  name: "dapr-component-metadata-sensitive",
  description:
    "Every Dapr Component metadata item has exactly one of value and secretKeyRef; a secretKeyRef names a secret and a key; and what the components-contrib schema marks sensitive (passwords, keys, connection strings) comes only from a secret store.",
  enforcementLevel: "mandatory",
  severity: "critical",
  sources: [
    metadataSchemaSource,
    source("dapr", "components/secret references", "Reference secrets in component metadata with secretKeyRef"),
  ],
  url: componentsReferenceUrl,
  remediationSteps: "Replace value with secretKeyRef: {name, key} of a secret the component's secret store holds.",
  tags: ["dapr", "security", "secrets", "dapr-lint"],
  validateResource: (args, report) =>
    withComponentSchema(args, report, (c, report) => {
      for (const item of c.items) {
        if (item.hasValue === item.hasSecretRef) {
          report(`${c.label} metadata "${item.name}" must have exactly one of value and secretKeyRef.`);
          continue;
        }
        if (item.hasSecretRef) {
          const ref = peek(() => item.raw.secretKeyRef as Record<string, unknown>);
          if (ref.known && (typeof ref.value?.name !== "string" || !ref.value.name || typeof ref.value.key !== "string" || !ref.value.key))
            report(`${c.label} metadata "${item.name}" has a secretKeyRef without a name and a key.`);
          continue;
        }
        if (c.accepted.get(item.name.toLowerCase())?.sensitive)
          report(`${c.label} metadata "${item.name}" is a credential (sensitive in the schema) set as a plain value; use secretKeyRef.`);
      }
    }),
});
