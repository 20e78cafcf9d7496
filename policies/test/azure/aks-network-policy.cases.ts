import { aksNetworkPolicy } from "../../src/azure/aks-network-policy.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksNetworkPolicy, [
  { n: 1, title: "cilium", resource: cluster(), expect: [] },
  { n: 2, title: "Calico, any case", resource: changed(cluster(), ["networkProfile.networkPolicy", "Calico"]), expect: [] },
  {
    n: 3,
    title: "not set",
    resource: changed(cluster(), ["networkProfile.networkPolicy"]),
    expect: ["the cluster must enforce network policies: networkProfile.networkPolicy is not set."],
  },
  {
    n: 4,
    title: "none",
    resource: changed(cluster(), ["networkProfile.networkPolicy", "none"]),
    expect: ['the cluster must enforce network policies: networkProfile.networkPolicy is "none".'],
  },
  { n: 5, title: "not a cluster", resource: vault(), notApplicable: true },
]);
