import { resourcePolicy, source } from "../lib/metadata.js";
import { helmInstallOf, isTrue, valueAt } from "../lib/helm.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";
import { daprChart } from "./mtls-enabled.js";

export const controlPlaneHaProd = resourcePolicy({
  name: "dapr-control-plane-ha-prod",
  description:
    "In prod, the Dapr control plane runs highly available: the Dapr Helm release sets global.ha.enabled: true (three replicas of each control-plane service).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("dapr", "production/HA mode", "Deploy the Dapr control plane in high-availability mode in production")],
  url: "https://docs.dapr.io/operations/hosting/kubernetes/kubernetes-production/",
  remediationSteps: "Pass values { global: { ha: { enabled: true } } } to the Dapr Helm release in prod.",
  tags: ["dapr", "availability", "prod-only"],
  validateResource: (args, report) => {
    const helm = helmInstallOf(args.type, args.props);
    if (helm?.chart !== daprChart) return args.notApplicable("applies to the Dapr Helm release");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    const value = valueAt(helm.values, "global.ha.enabled");
    if (!isTrue(value))
      report(
        `the Dapr Helm release must set global.ha.enabled: true in prod${value === undefined ? " (it is not set)" : `, found ${JSON.stringify(value)}`}.`,
      );
  },
});
