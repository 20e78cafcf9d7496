import { resourcePolicy, source } from "../lib/metadata.js";
import { helmInstallOf } from "../lib/helm.js";

/** An exact chart version: semver without range operators, wildcards or build ranges. */
const exactVersion = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const helmChartVersionPinned = resourcePolicy({
  name: "helm-chart-version-pinned",
  description: "Every Helm release and chart pins an exact chart version, so a preview shows exactly what will be installed.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [
    source("openssf", "Pinned-Dependencies", "Dependencies are pinned to a specific version"),
    source("aks-baseline", "Operations/pinned charts", "Install cluster add-ons from pinned chart versions"),
  ],
  remediationSteps: "Set version to an exact chart version (for example 1.15.3), not a range, a wildcard or nothing.",
  tags: ["kubernetes", "helm", "supply-chain"],
  validateResource: (args, report) => {
    const helm = helmInstallOf(args.type, args.props);
    if (!helm) return args.notApplicable("applies to Helm releases and charts");
    if (helm.version === undefined || helm.version === "")
      report(`Helm chart "${helm.chart}" must pin an exact version (version is not set).`);
    else if (!exactVersion.test(helm.version))
      report(`Helm chart "${helm.chart}" version "${helm.version}" is a range; pin an exact version.`);
  },
});
