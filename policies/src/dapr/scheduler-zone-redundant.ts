import { stackPolicy, source } from "../lib/metadata.js";
import { helmInstallOf, valueAt } from "../lib/helm.js";
import { isProductionLike, stackEnvironment } from "../lib/environment.js";
import { asObject } from "../lib/kubernetes.js";
import { daprChart } from "./mtls-enabled.js";

const zoneKey = "topology.kubernetes.io/zone";
const required = "requiredDuringSchedulingIgnoredDuringExecution";

export const schedulerZoneRedundant = stackPolicy({
  name: "dapr-scheduler-zone-redundant",
  description:
    "On Azure the Dapr scheduler (the Jobs API's etcd, three replicas) survives a zone: its replicas are spread over topology.kubernetes.io/zone (one per zone required in prod), a PodDisruptionBudget keeps two of three up (global.ha.disruption), and its volumes come from a StorageClass of zone-redundant disks (a *_ZRS skuName) that the stack creates.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("dapr", "scheduler/production", "Run the scheduler's three replicas on separate failure domains with persistent storage"),
    source("azure", "disks/ZRS", "Zone-redundant managed disks can be attached from another zone after a zonal failure"),
  ],
  url: "https://docs.dapr.io/operations/hosting/kubernetes/kubernetes-persisting-scheduler/",
  remediationSteps:
    "Pass the Dapr release global.ha.topologyKey: topology.kubernetes.io/zone, podAntiAffinityPolicy requiredDuringSchedulingIgnoredDuringExecution (prod), disruption.maximumUnavailable: 1, and dapr_scheduler.cluster.storageClassName naming a StorageClass with parameters.skuName Premium_ZRS or StandardSSD_ZRS.",
  tags: ["dapr", "availability", "azure"],
  validateStack: (args, report) => {
    const env = stackEnvironment(args);
    if (env === "local") return args.notApplicable("applies to the Azure stacks (minikube has one zone)");
    for (const r of args.resources) {
      const helm = helmInstallOf(r.type, r.props);
      if (helm?.chart !== daprChart) continue;
      const v = helm.values;
      const problems: string[] = [];
      if (valueAt(v, "global.ha.topologyKey") !== zoneKey) problems.push(`global.ha.topologyKey must be ${zoneKey}`);
      if (isProductionLike(env) && valueAt(v, "global.ha.podAntiAffinityPolicy") !== required)
        problems.push(`global.ha.podAntiAffinityPolicy must be ${required} in prod`);
      const maxUnavailable = valueAt(v, "global.ha.disruption.maximumUnavailable");
      const minAvailable = valueAt(v, "global.ha.disruption.minimumAvailable");
      if (!(maxUnavailable === 1 || maxUnavailable === "1" || Number(minAvailable) >= 2))
        problems.push("global.ha.disruption must keep two of three replicas (maximumUnavailable: 1 or minimumAvailable: 2)");
      const className = valueAt(v, "dapr_scheduler.cluster.storageClassName");
      if (typeof className !== "string" || className === "") problems.push("dapr_scheduler.cluster.storageClassName is not set");
      else {
        const sc = args.resources.find(
          (x) => x.type === "kubernetes:storage.k8s.io/v1:StorageClass" && asObject(x.props.metadata).name === className,
        );
        const sku = sc ? asObject(sc.props.parameters).skuName : undefined;
        if (!sc) problems.push(`StorageClass "${className}" is not created by the stack`);
        else if (typeof sku !== "string" || !/_ZRS$/.test(sku))
          problems.push(`StorageClass "${className}" has skuName ${JSON.stringify(sku)}, not a zone-redundant *_ZRS disk`);
      }
      if (problems.length) report(`the Dapr scheduler is not zone-redundant: ${problems.join("; ")}.`, r.urn);
    }
  },
});
