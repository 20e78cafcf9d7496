import { resourcePolicy } from "../lib/metadata.js";
import { componentsReferenceUrl, metadataSchemaSource, withComponentSchema } from "../lib/dapr-lint.js";

export const componentMetadataDeprecated = resourcePolicy({
  name: "dapr-component-metadata-deprecated",
  description:
    "No Dapr Component sets metadata that its components-contrib schema marks deprecated, or an older alias of a current name: they disappear in a later Dapr release.",
  enforcementLevel: "advisory",
  severity: "low",
  sources: [metadataSchemaSource],
  url: componentsReferenceUrl,
  remediationSteps: "Use the current name the message gives, or drop the setting.",
  tags: ["dapr", "maintainability", "dapr-lint"],
  validateResource: (args, report) =>
    withComponentSchema(args, report, (c, report) => {
      for (const item of c.items) {
        const field = c.accepted.get(item.name.toLowerCase());
        if (!field?.deprecated) continue;
        report(`${c.label} metadata "${item.name}" is deprecated${field.aliasOf ? `; use "${field.aliasOf}"` : ""}.`);
      }
    }),
});
