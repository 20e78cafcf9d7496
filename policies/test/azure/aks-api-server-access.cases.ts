import { aksApiServerAccess } from "../../src/azure/aks-api-server-access.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksApiServerAccess, [
  { n: 1, title: "authorized ranges", resource: cluster(), expect: [] },
  { n: 2, title: "private cluster", resource: changed(cluster(), ["apiServerAccessProfile", { enablePrivateCluster: true }]), expect: [] },
  {
    n: 3,
    title: "open API server",
    resource: changed(cluster(), ["apiServerAccessProfile"]),
    expect: ["the API server is reachable from the internet: set apiServerAccessProfile.enablePrivateCluster or authorizedIPRanges."],
  },
  {
    n: 4,
    title: "0.0.0.0/0 authorized",
    resource: changed(cluster(), ["apiServerAccessProfile.authorizedIPRanges", ["203.0.113.0/24", "0.0.0.0/0"]]),
    expect: ["apiServerAccessProfile.authorizedIPRanges allows any address (0.0.0.0/0)."],
  },
  { n: 5, title: "not a cluster", resource: vault(), notApplicable: true },
]);
