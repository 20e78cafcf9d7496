import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, isRenderedByHelm, objectName, stringEntry, workloadOf, type ObjectMeta } from "../lib/kubernetes.js";
import { componentView, daprKindOf } from "../lib/dapr.js";
import { knownOr } from "../lib/unknown.js";

const keys = (v: unknown): string[] => Object.keys(asObject(v));

export const resiliencyTargetsExist = stackPolicy({
  name: "dapr-resiliency-targets-exist",
  description:
    "Every target of a Dapr Resiliency names an existing Component (in its namespace) or the app id of a Dapr-enabled workload, and every policy a target refers to is defined: a dangling name silently applies nothing.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("dapr", "resiliency/targets", "Resiliency targets name apps, components and actors by their ids")],
  url: "https://docs.dapr.io/operations/resiliency/targets/",
  remediationSteps: "Rename the target to the component or app id it is meant for, or define the policy it names.",
  tags: ["dapr", "availability", "cross-reference"],
  validateStack: (args, report) => {
    const componentsByNs = args.resources
      .filter((r) => daprKindOf(r.type) === "Component")
      .map((r) => componentView(r.props, r.name))
      .map((c) => `${c.namespace ?? ""}/${c.name}`);
    const appIds = new Set<string>();
    for (const r of args.resources) {
      const w = workloadOf(r.type, r.props, r.name);
      if (!w || isRenderedByHelm(r.urn) || stringEntry(w.podMetadata.annotations, "dapr.io/enabled") !== "true") continue;
      const id = stringEntry(w.podMetadata.annotations, "dapr.io/app-id");
      if (id) appIds.add(id);
    }
    for (const res of args.resources.filter((r) => daprKindOf(r.type) === "Resiliency")) {
      const meta = asObject(res.props.metadata) as ObjectMeta;
      const label = `Resiliency "${objectName(meta, res.name)}"`;
      const spec = asObject(knownOr(() => res.props.spec, {}));
      const policies = asObject(spec.policies);
      const defined = { timeout: keys(policies.timeouts), retry: keys(policies.retries), circuitBreaker: keys(policies.circuitBreakers) };
      const checkPolicies = (where: string, target: unknown): void => {
        for (const kind of ["timeout", "retry", "circuitBreaker"] as const) {
          const named = asObject(target)[kind];
          if (typeof named === "string" && !defined[kind].includes(named) && !/^\d/.test(named))
            report(`${label} target ${where} uses ${kind} "${named}", which spec.policies does not define.`, res.urn);
        }
      };
      const targets = asObject(spec.targets);
      for (const [app, target] of Object.entries(asObject(targets.apps))) {
        if (!appIds.has(app)) report(`${label} targets app "${app}", which no Dapr-enabled workload of the stack runs as.`, res.urn);
        checkPolicies(`apps.${app}`, target);
      }
      for (const [component, target] of Object.entries(asObject(targets.components))) {
        if (!componentsByNs.includes(`${meta.namespace ?? ""}/${component}`))
          report(
            `${label} targets component "${component}", which the stack does not create in namespace "${meta.namespace ?? "?"}".`,
            res.urn,
          );
        for (const direction of ["inbound", "outbound"]) checkPolicies(`components.${component}.${direction}`, asObject(target)[direction]);
      }
    }
  },
});
