import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, describeObject, labelSelectorMatches } from "../lib/kubernetes.js";
import { isProductionLike, stackEnvironment } from "../lib/environment.js";
import { publicWorkloads } from "../lib/public-workloads.js";

/** A budget that still lets every pod go at once protects nothing. */
function allowsNothing(spec: Record<string, unknown>): boolean {
  const { minAvailable, maxUnavailable } = spec;
  if (minAvailable !== undefined) return minAvailable === 0 || minAvailable === "0" || minAvailable === "0%";
  if (maxUnavailable !== undefined) return maxUnavailable === "100%";
  return true;
}

export const podDisruptionBudgetProd = stackPolicy({
  name: "kubernetes-pod-disruption-budget-prod",
  description:
    "In prod, every workload that serves public traffic is covered by a PodDisruptionBudget in its namespace that keeps at least one pod available during node drains and upgrades.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("aks-baseline", "Reliability/pod disruption budgets", "Define pod disruption budgets so node upgrades keep workloads available"),
    source("azure", "WAF AKS reliability", "Use pod disruption budgets"),
  ],
  remediationSteps:
    "Create a policy/v1 PodDisruptionBudget in the workload's namespace whose selector matches its pod labels, with minAvailable >= 1 or maxUnavailable below 100%.",
  tags: ["kubernetes", "availability", "prod-only"],
  validateStack: (args, report) => {
    if (!isProductionLike(stackEnvironment(args))) return args.notApplicable("applies to prod");
    const budgets = args.resources.filter((r) => /^kubernetes:policy\/v1(beta1)?:PodDisruptionBudget$/.test(r.type));
    for (const { resource, workload } of publicWorkloads(args.resources)) {
      const covering = budgets.filter((b) => {
        const ns = asObject(b.props.metadata).namespace;
        return ns === workload.namespace && labelSelectorMatches(asObject(b.props.spec).selector, workload.podMetadata.labels);
      });
      const subject = describeObject(workload.kind, workload.name, workload.namespace);
      if (covering.length === 0) report(`${subject} serves public traffic and has no PodDisruptionBudget in prod.`, resource.urn);
      else if (covering.every((b) => allowsNothing(asObject(b.props.spec)))) {
        report(
          `${subject}: its PodDisruptionBudget lets every pod be evicted at once; set minAvailable >= 1 or maxUnavailable below 100%.`,
          resource.urn,
        );
      }
    }
  },
});
