import { allServices } from "@tasks/catalog";
import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { daprKindOf } from "../lib/dapr.js";

const appIds = new Set<string>(allServices.map((s) => s.name));

export const componentScopes = resourcePolicy({
  name: "dapr-component-scopes",
  description:
    "Every Dapr Component is scoped to the catalog apps that use it, so no other sidecar can load it (and reach its secrets, state or broker).",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("dapr", "components/scopes", "Limit component access to particular Dapr applications with scopes"),
    source("project", "catalog/dapr blocks", "Components are scoped by the building blocks each service declares"),
  ],
  url: "https://docs.dapr.io/operations/components/component-scopes/",
  remediationSteps: "Set scopes to the app ids (catalog service names) that use the component.",
  tags: ["dapr", "security"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Component") return args.notApplicable("applies to Dapr Components");
    const name = objectName(asObject(args.props.metadata) as ObjectMeta, args.name);
    const scopes = Array.isArray(args.props.scopes) ? (args.props.scopes as unknown[]).map(String) : [];
    if (scopes.length === 0) {
      report(`Component "${name}" has no scopes: every Dapr app in the namespace can load it.`);
      return;
    }
    const unknown = scopes.filter((s) => !appIds.has(s));
    if (unknown.length > 0) report(`Component "${name}" is scoped to ${unknown.join(", ")}, which is not a catalog service.`);
  },
});
