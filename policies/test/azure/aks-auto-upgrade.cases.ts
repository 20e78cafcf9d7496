import { aksAutoUpgrade } from "../../src/azure/aks-auto-upgrade.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksAutoUpgrade, [
  { n: 1, title: "both channels", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "no auto-upgrade profile",
    resource: changed(cluster(), ["autoUpgradeProfile"]),
    expect: [
      "the cluster has no auto-upgrade channel (autoUpgradeProfile.upgradeChannel).",
      "the cluster has no node OS upgrade channel (autoUpgradeProfile.nodeOSUpgradeChannel).",
    ],
  },
  {
    n: 3,
    title: "node OS unmanaged",
    resource: changed(cluster(), ["autoUpgradeProfile.nodeOSUpgradeChannel", "Unmanaged"]),
    expect: ["the cluster has no node OS upgrade channel (autoUpgradeProfile.nodeOSUpgradeChannel)."],
  },
  { n: 4, title: "not a cluster", resource: vault(), notApplicable: true },
]);
