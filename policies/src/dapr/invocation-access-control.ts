import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, describeObject, isRenderedByHelm, objectName, stringEntry, workloadOf, type ObjectMeta } from "../lib/kubernetes.js";
import { daprKindOf } from "../lib/dapr.js";

export const invocationAccessControl = stackPolicy({
  name: "dapr-invocation-access-control",
  description:
    "Every Dapr-enabled workload loads a Dapr Configuration (dapr.io/config) that exists in its namespace and denies service invocation by default (accessControl.defaultAction: deny), allowing callers one by one.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("dapr", "security/invocation access control", "Apply access control lists for service invocation, default action deny"),
    source("project", "catalog/invokes", "Only the invocation paths the catalog declares are allowed"),
  ],
  url: "https://docs.dapr.io/operations/configuration/invoke-allowlist/",
  remediationSteps:
    "Create a Dapr Configuration per app with spec.accessControl.defaultAction: deny and a policy per allowed caller, and reference it with the dapr.io/config annotation.",
  tags: ["dapr", "security", "zero-trust"],
  validateStack: (args, report) => {
    const configurations = args.resources.filter((r) => daprKindOf(r.type) === "Configuration");
    const find = (namespace: string | undefined, name: string) =>
      configurations.find((c) => {
        const meta = asObject(c.props.metadata) as ObjectMeta;
        return objectName(meta, c.name) === name && (meta.namespace ?? undefined) === namespace;
      });
    for (const r of args.resources) {
      const w = workloadOf(r.type, r.props, r.name);
      if (!w || isRenderedByHelm(r.urn) || stringEntry(w.podMetadata.annotations, "dapr.io/enabled") !== "true") continue;
      const subject = describeObject(w.kind, w.name, w.namespace);
      const configName = stringEntry(w.podMetadata.annotations, "dapr.io/config");
      if (!configName) {
        report(
          `${subject} runs a Dapr sidecar without a Dapr Configuration (dapr.io/config), so service invocation is not access-controlled.`,
          r.urn,
        );
        continue;
      }
      const config = find(w.namespace, configName);
      if (!config) {
        report(
          `${subject} names Dapr Configuration "${configName}", which the stack does not create in namespace "${w.namespace ?? "?"}".`,
          r.urn,
        );
        continue;
      }
      const action = asObject(asObject(config.props.spec).accessControl).defaultAction;
      if (action !== "deny")
        report(
          `Dapr Configuration "${configName}" used by ${subject} must set accessControl.defaultAction: deny (found ${action === undefined ? "no accessControl" : JSON.stringify(action)}).`,
          config.urn,
        );
    }
  },
});
