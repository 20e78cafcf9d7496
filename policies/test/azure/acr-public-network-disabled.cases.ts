import { acrPublicNetworkDisabled } from "../../src/azure/acr-public-network-disabled.js";
import { casesFor, changed } from "../lib/harness.js";
import { registry, vault } from "../fixtures/azure.js";

const message =
  'the registry accepts traffic from any network (publicNetworkAccess is not "Disabled" and networkRuleSet.defaultAction is not "Deny").';

export default casesFor(acrPublicNetworkDisabled, [
  { n: 1, title: "public access disabled", resource: registry(), expect: [] },
  {
    n: 2,
    title: "firewall default deny",
    resource: changed(registry(), ["publicNetworkAccess", "Enabled"], ["networkRuleSet", { defaultAction: "Deny", ipRules: [] }]),
    expect: [],
  },
  { n: 3, title: "open", resource: changed(registry(), ["publicNetworkAccess", "Enabled"]), expect: [message] },
  { n: 4, title: "not a registry", resource: vault(), notApplicable: true },
]);
