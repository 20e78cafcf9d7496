import { aksLocalAccountsDisabled } from "../../src/azure/aks-local-accounts-disabled.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksLocalAccountsDisabled, [
  { n: 1, title: "disabled", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "not set",
    resource: changed(cluster(), ["disableLocalAccounts"]),
    expect: ["the cluster must set disableLocalAccounts: true."],
  },
  {
    n: 3,
    title: "false",
    resource: changed(cluster(), ["disableLocalAccounts", false]),
    expect: ["the cluster must set disableLocalAccounts: true."],
  },
  { n: 4, title: "not a cluster", resource: vault(), notApplicable: true },
]);
