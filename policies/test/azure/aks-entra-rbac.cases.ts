import { aksEntraRbac } from "../../src/azure/aks-entra-rbac.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksEntraRbac, [
  { n: 1, title: "managed Entra ID with Azure RBAC", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "no aadProfile",
    resource: changed(cluster(), ["aadProfile"]),
    expect: ["the cluster must integrate Microsoft Entra ID (aadProfile is not set)."],
  },
  {
    n: 3,
    title: "Kubernetes RBAC only",
    resource: changed(cluster(), ["aadProfile.enableAzureRBAC", false]),
    expect: ["aadProfile.enableAzureRBAC must be true so Azure RBAC authorizes Kubernetes requests."],
  },
  {
    n: 4,
    title: "RBAC off and legacy integration",
    resource: changed(cluster(), ["enableRBAC", false], ["aadProfile.managed", false]),
    expect: [
      "the cluster must keep Kubernetes RBAC on (enableRBAC is false).",
      "aadProfile.managed must be true (legacy Entra integration).",
    ],
  },
  { n: 5, title: "not a cluster", resource: vault(), notApplicable: true },
]);
