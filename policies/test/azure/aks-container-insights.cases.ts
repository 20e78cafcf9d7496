import { aksContainerInsights } from "../../src/azure/aks-container-insights.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksContainerInsights, [
  { n: 1, title: "omsagent with a workspace", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "no omsagent",
    resource: changed(cluster(), ["addonProfiles.omsagent"]),
    expect: ["the cluster must enable Container Insights (addonProfiles.omsagent.enabled: true)."],
  },
  {
    n: 3,
    title: "no workspace",
    resource: changed(cluster(), ["addonProfiles.omsagent.config"]),
    expect: ["the omsagent add-on must name its Log Analytics workspace (config.logAnalyticsWorkspaceResourceID)."],
  },
  { n: 4, title: "not a cluster", resource: vault(), notApplicable: true },
]);
