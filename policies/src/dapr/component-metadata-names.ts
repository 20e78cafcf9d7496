import { resourcePolicy } from "../lib/metadata.js";
import { acceptedFields, closestName, contribLabel, schemaFor } from "../lib/dapr-metadata.js";
import { componentView, daprKindOf } from "../lib/dapr.js";
import { componentsReferenceUrl, metadataSchemaSource } from "../lib/dapr-lint.js";

export const componentMetadataNames = resourcePolicy({
  name: "dapr-component-metadata-names",
  description:
    "Every Dapr Component has a type and version that daprd can load, and sets only metadata its components-contrib schema (metadata.yaml, at the version daprd is built from) or the Dapr runtime reads, each once: a misspelt key is silently ignored by the sidecar.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [metadataSchemaSource],
  url: componentsReferenceUrl,
  remediationSteps:
    "Use the metadata names of the component's reference page (the message suggests the closest one); for a new component type, run npm run policy -- --write-dapr-metadata.",
  tags: ["dapr", "correctness", "dapr-lint"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Component") return args.notApplicable("applies to Dapr Components");
    const c = componentView(args.props, args.name);
    if (!c.type || !c.version) return args.notApplicable("type or version not known (preview)");
    const schema = schemaFor(c.type, c.version);
    if (!schema) {
      report(
        `${c.label}: ${contribLabel()} has no component ${c.type} at version ${c.version}; daprd cannot load it (or its schema is missing here: npm run policy -- --write-dapr-metadata).`,
      );
      return;
    }
    const accepted = acceptedFields(schema);
    const seen = new Set<string>();
    for (const item of c.items) {
      const key = item.name.toLowerCase();
      if (seen.has(key)) report(`${c.label} sets metadata "${item.name}" twice; daprd keeps only one of them.`);
      seen.add(key);
      if (accepted.has(key)) continue;
      const near = closestName(item.name, accepted.values());
      report(
        `${c.label} sets unknown metadata "${item.name}"${near ? `; did you mean "${near}"?` : ""} (not in ${schema.file} of ${contribLabel()}).`,
      );
    }
  },
});
