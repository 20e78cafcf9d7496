import { resourcePolicy } from "../lib/metadata.js";
import { valueProblem } from "../lib/dapr-metadata.js";
import { plainValue } from "../lib/dapr.js";
import { componentsReferenceUrl, metadataSchemaSource, withComponentSchema } from "../lib/dapr-lint.js";

export const componentMetadataTypes = resourcePolicy({
  name: "dapr-component-metadata-types",
  description:
    "Every plain metadata value of a Dapr Component parses as the type its components-contrib schema declares (number, bool, duration, byte size) the way daprd decodes it.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [metadataSchemaSource],
  url: componentsReferenceUrl,
  remediationSteps:
    'Write numbers as digits, booleans as "true"/"false", durations as Go durations ("30s", "5m"), sizes as quantities ("1Mi").',
  tags: ["dapr", "correctness", "dapr-lint"],
  validateResource: (args, report) =>
    withComponentSchema(args, report, (c, report) => {
      for (const item of c.items) {
        const field = c.accepted.get(item.name.toLowerCase());
        const value = plainValue(item);
        if (!field || value === undefined) continue;
        const problem = valueProblem(field, value);
        if (problem) report(`${c.label} metadata "${item.name}" is "${value}", which is not ${problem}.`);
      }
    }),
});
