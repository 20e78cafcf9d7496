import { resourcePolicy } from "../lib/metadata.js";
import { plainValue } from "../lib/dapr.js";
import { componentsReferenceUrl, metadataSchemaSource, withComponentSchema } from "../lib/dapr-lint.js";

export const componentMetadataAllowedValues = resourcePolicy({
  name: "dapr-component-metadata-allowed-values",
  description:
    "A Dapr Component metadata value that its components-contrib schema restricts (initialOffset, authType, direction…) is one of the allowed values.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [metadataSchemaSource],
  url: componentsReferenceUrl,
  remediationSteps: "Use one of the values the message lists.",
  tags: ["dapr", "correctness", "dapr-lint"],
  validateResource: (args, report) =>
    withComponentSchema(args, report, (c, report) => {
      for (const item of c.items) {
        const allowed = c.accepted.get(item.name.toLowerCase())?.allowedValues;
        const value = plainValue(item);
        if (!allowed || value === undefined || allowed.includes(value)) continue;
        report(`${c.label} metadata "${item.name}" is "${value}"; allowed: ${allowed.map((a) => `"${a}"`).join(", ")}.`);
      }
    }),
});
