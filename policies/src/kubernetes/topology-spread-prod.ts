import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, validateWorkload } from "../lib/kubernetes.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";

export const zoneTopologyKey = "topology.kubernetes.io/zone";

export const topologySpreadProd = resourcePolicy({
  name: "kubernetes-topology-spread-prod",
  description: `In prod, Deployments and StatefulSets spread their pods across availability zones (a topologySpreadConstraint on ${zoneTopologyKey} with a label selector).`,
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("aks-baseline", "Reliability/availability zones", "Spread workload replicas across the cluster's availability zones"),
    source("azure", "WAF AKS reliability", "Use topology spread constraints across zones"),
  ],
  remediationSteps: `Add spec.template.spec.topologySpreadConstraints with topologyKey ${zoneTopologyKey}, maxSkew 1 and a labelSelector matching the pod labels.`,
  tags: ["kubernetes", "availability", "prod-only"],
  validateResource: validateWorkload((w, args, report) => {
    if (w.kind !== "Deployment" && w.kind !== "StatefulSet") return args.notApplicable("applies to Deployments and StatefulSets");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    const constraints = Array.isArray(w.podSpec.topologySpreadConstraints) ? w.podSpec.topologySpreadConstraints : [];
    const zone = constraints.find((c) => c.topologyKey === zoneTopologyKey);
    if (!zone) report(`the pod template must spread pods across zones: add a topologySpreadConstraint on ${zoneTopologyKey}.`);
    else if (!zone.labelSelector || Object.keys(asObject(zone.labelSelector)).length === 0)
      report(`the topologySpreadConstraint on ${zoneTopologyKey} must have a labelSelector matching the pods.`);
  }),
});
