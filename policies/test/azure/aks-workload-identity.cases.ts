import { aksWorkloadIdentity } from "../../src/azure/aks-workload-identity.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksWorkloadIdentity, [
  { n: 1, title: "enabled", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "disabled",
    resource: changed(cluster(), ["securityProfile.workloadIdentity.enabled", false]),
    expect: ["the cluster must enable workload identity (securityProfile.workloadIdentity.enabled: true)."],
  },
  {
    n: 3,
    title: "no security profile",
    resource: changed(cluster(), ["securityProfile"]),
    expect: ["the cluster must enable workload identity (securityProfile.workloadIdentity.enabled: true)."],
  },
  { n: 4, title: "not a cluster", resource: vault(), notApplicable: true },
]);
