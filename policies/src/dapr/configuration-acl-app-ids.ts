import { allServices } from "@tasks/catalog";
import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { daprKindOf } from "../lib/dapr.js";

const catalogApps = new Set<string>(allServices.map((s) => s.name));

export const configurationAclAppIds = resourcePolicy({
  name: "dapr-configuration-acl-app-ids",
  description:
    "Every app id in a Dapr Configuration's access-control policies is a catalog service: a policy for an unknown caller allows nothing useful, and usually hides a rename that left the real caller denied.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("dapr", "security/invocation access control", "Access control policies name calling apps by app id"),
    source("project", "catalog/invokes", "Only the invocation paths the catalog declares are allowed"),
  ],
  url: "https://docs.dapr.io/operations/configuration/invoke-allowlist/",
  remediationSteps: "Name callers by their catalog service name (the Dapr app id).",
  tags: ["dapr", "security", "cross-reference"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Configuration") return args.notApplicable("applies to Dapr Configurations");
    const name = objectName(asObject(args.props.metadata) as ObjectMeta, args.name);
    const acl = asObject(asObject(args.props.spec).accessControl);
    const policies = Array.isArray(acl.policies) ? (acl.policies as unknown[]) : [];
    for (const p of policies) {
      const appId = asObject(p).appId;
      if (typeof appId === "string" && !catalogApps.has(appId))
        report(`Configuration "${name}" has an access-control policy for app id "${appId}", which is not a catalog service.`);
    }
  },
});
