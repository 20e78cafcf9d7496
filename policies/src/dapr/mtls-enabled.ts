import { resourcePolicy, source } from "../lib/metadata.js";
import { asObject, objectName, type ObjectMeta } from "../lib/kubernetes.js";
import { helmInstallOf, isTrue, valueAt } from "../lib/helm.js";
import { daprKindOf } from "../lib/dapr.js";
import { isSharedEnvironment, resourceEnvironment } from "../lib/environment.js";

export const daprChart = "dapr";

export const mtlsEnabled = resourcePolicy({
  name: "dapr-mtls-enabled",
  description:
    "On dev and prod, Dapr sidecars talk over mutual TLS: the Dapr Helm release sets global.mtls.enabled: true explicitly and no Dapr Configuration turns mTLS off.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("dapr", "security/mTLS", "Enable mTLS between Dapr sidecars and the control plane (Sentry)"),
    source("aks-baseline", "Network/encryption in transit", "Encrypt traffic between workloads inside the cluster"),
  ],
  url: "https://docs.dapr.io/operations/security/mtls/",
  remediationSteps:
    "Pass values { global: { mtls: { enabled: true } } } to the Dapr Helm release and remove spec.mtls.enabled: false from Dapr Configurations.",
  tags: ["dapr", "security", "tls", "dev-and-prod"],
  validateResource: (args, report) => {
    const helm = helmInstallOf(args.type, args.props);
    const kind = daprKindOf(args.type);
    if (helm?.chart !== daprChart && kind !== "Configuration")
      return args.notApplicable("applies to the Dapr Helm release and Dapr Configurations");
    if (!isSharedEnvironment(resourceEnvironment(args))) return args.notApplicable("applies to dev and prod");
    if (helm) {
      const value = valueAt(helm.values, "global.mtls.enabled");
      if (!isTrue(value))
        report(
          `the Dapr Helm release must set global.mtls.enabled: true${value === undefined ? " (it is not set)" : `, found ${JSON.stringify(value)}`}.`,
        );
      return;
    }
    const mtls = asObject(asObject(args.props.spec).mtls);
    if (mtls.enabled === false || mtls.enabled === "false") {
      report(
        `Dapr Configuration "${objectName(asObject(args.props.metadata) as ObjectMeta, args.name)}" turns mTLS off (spec.mtls.enabled: false).`,
      );
    }
  },
});
