import type { ReportViolation, ResourceValidationArgs } from "@pulumi/policy";
import { acceptedFields, contribLabel, schemaFor, type ComponentSchema, type FieldSchema } from "./dapr-metadata.js";
import { componentView, daprKindOf, type ComponentView } from "./dapr.js";
import { source, type ControlSource } from "./metadata.js";

/** The control the component linter implements: components-contrib's published metadata schema. */
export const metadataSchemaSource: ControlSource = source(
  "dapr",
  "components-contrib/metadata.yaml",
  "Component metadata schema published per component type and version",
);

export const componentsReferenceUrl = "https://docs.dapr.io/reference/components-reference/";

export interface SchemaComponent extends ComponentView {
  readonly schema: ComponentSchema;
  /** Every accepted name, lower-cased. */
  readonly accepted: Map<string, FieldSchema>;
}

/**
 * Runs `check` on a Dapr Component whose type and version have a schema. Other resources are not
 * applicable; a component without a schema is the names policy's finding.
 */
export function withComponentSchema(
  args: ResourceValidationArgs,
  report: ReportViolation,
  check: (c: SchemaComponent, report: ReportViolation) => void,
): void {
  if (daprKindOf(args.type) !== "Component") return args.notApplicable("applies to Dapr Components");
  const view = componentView(args.props, args.name);
  const schema = schemaFor(view.type, view.version);
  if (!schema) return args.notApplicable(`no ${contribLabel()} schema for ${view.type || "?"} ${view.version || "?"}`);
  check({ ...view, schema, accepted: acceptedFields(schema) }, report);
}
