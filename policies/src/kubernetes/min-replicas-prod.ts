import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { asObject, describeObject, isScaledObject } from "../lib/kubernetes.js";
import { isProductionLike, stackEnvironment } from "../lib/environment.js";
import { publicWorkloads } from "../lib/public-workloads.js";

/**
 * Replicas the workload is guaranteed: the minReplicas of the HPA or the minReplicaCount of the KEDA ScaledObject
 * (whose HPA KEDA creates) that targets it, else spec.replicas (default 1).
 */
function guaranteedReplicas(
  resources: readonly PolicyResource[],
  kind: string,
  name: string,
  namespace: string | undefined,
  replicas: number | undefined,
): number {
  for (const r of resources) {
    const hpa = /^kubernetes:autoscaling\/v\d+:HorizontalPodAutoscaler$/.test(r.type);
    if (!hpa && !isScaledObject(r)) continue;
    const meta = asObject(r.props.metadata);
    const spec = asObject(r.props.spec);
    const target = asObject(spec.scaleTargetRef);
    if ((meta.namespace ?? undefined) !== namespace || (target.kind ?? "Deployment") !== kind || target.name !== name) continue;
    const min = hpa ? spec.minReplicas : spec.minReplicaCount;
    // KEDA's default minReplicaCount is 0.
    return typeof min === "number" ? min : hpa ? 1 : 0;
  }
  return replicas ?? 1;
}

export const minReplicasProd = stackPolicy({
  name: "kubernetes-min-replicas-prod",
  description:
    "In prod, every workload that serves public traffic runs at least 2 replicas (spec.replicas, or the minReplicas of the HorizontalPodAutoscaler, or the minReplicaCount of the KEDA ScaledObject, that scales it).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source(
      "aks-baseline",
      "Reliability/multiple replicas",
      "Run at least two replicas of every user-facing workload across availability zones",
    ),
    source("azure", "WAF AKS reliability", "Configure pod replicas and autoscaling for availability"),
  ],
  remediationSteps:
    "Set spec.replicas >= 2, or give the workload a HorizontalPodAutoscaler with minReplicas >= 2 (the catalog's scaling.min).",
  tags: ["kubernetes", "availability", "prod-only"],
  validateStack: (args, report) => {
    if (!isProductionLike(stackEnvironment(args))) return args.notApplicable("applies to prod");
    for (const { resource, workload } of publicWorkloads(args.resources)) {
      const n = guaranteedReplicas(args.resources, workload.kind, workload.name, workload.namespace, workload.replicas);
      if (n < 2) {
        report(
          `${describeObject(workload.kind, workload.name, workload.namespace)} serves public traffic and must run at least 2 replicas in prod (spec.replicas or its HorizontalPodAutoscaler's minReplicas), found ${n}.`,
          resource.urn,
        );
      }
    }
  },
});
