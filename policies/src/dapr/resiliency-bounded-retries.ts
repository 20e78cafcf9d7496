import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { daprKindOf } from "../lib/dapr.js";

export const resiliencyBoundedRetries = resourcePolicy({
  name: "dapr-resiliency-bounded-retries",
  description:
    "Every retry policy of a Dapr Resiliency is bounded: maxRetries is set and not -1 (Dapr's default is unlimited), and exponential policies cap the interval with maxInterval.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("dapr", "resiliency/retries", "maxRetries defaults to -1 (retry forever); set a bound"),
    source("azure", "WAF retry pattern", "Bound retries and back off to avoid retry storms"),
  ],
  url: "https://docs.dapr.io/operations/resiliency/policies/retries/retries-overview/",
  remediationSteps: "Give every retry policy maxRetries >= 0 and, for exponential ones, a maxInterval.",
  tags: ["dapr", "availability", "resiliency"],
  validateResource: (args, report) => {
    if (daprKindOf(args.type) !== "Resiliency") return args.notApplicable("applies to Dapr Resiliency resources");
    const name = objectName(asObject(args.props.metadata) as ObjectMeta, args.name);
    const retries = asObject(asObject(asObject(args.props.spec).policies).retries);
    for (const [policyName, raw] of Object.entries(retries)) {
      const p = asObject(raw);
      const max = typeof p.maxRetries === "string" ? Number(p.maxRetries) : p.maxRetries;
      if (typeof max !== "number" || Number.isNaN(max))
        report(`Resiliency "${name}" retry policy "${policyName}" does not set maxRetries, so it retries forever.`);
      else if (max < 0) report(`Resiliency "${name}" retry policy "${policyName}" sets maxRetries ${max}, which retries forever.`);
      if (p.policy === "exponential" && (p.maxInterval === undefined || p.maxInterval === ""))
        report(`Resiliency "${name}" retry policy "${policyName}" is exponential without maxInterval.`);
    }
  },
});
