import { aksAzurePolicyAddon } from "../../src/azure/aks-azure-policy-addon.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksAzurePolicyAddon, [
  { n: 1, title: "enabled", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "key spelled azurePolicy",
    resource: changed(cluster(), ["addonProfiles.azurepolicy"], ["addonProfiles.azurePolicy", { enabled: true }]),
    expect: [],
  },
  {
    n: 3,
    title: "disabled",
    resource: changed(cluster(), ["addonProfiles.azurepolicy.enabled", false]),
    expect: ["the cluster must enable the Azure Policy add-on (addonProfiles.azurepolicy.enabled: true)."],
  },
  {
    n: 4,
    title: "no add-ons",
    resource: changed(cluster(), ["addonProfiles"]),
    expect: ["the cluster must enable the Azure Policy add-on (addonProfiles.azurepolicy.enabled: true)."],
  },
  { n: 5, title: "not a cluster", resource: vault(), notApplicable: true },
]);
