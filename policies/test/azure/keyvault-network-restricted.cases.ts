import { keyVaultNetworkRestricted } from "../../src/azure/keyvault-network-restricted.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

const message =
  'the vault accepts traffic from any network: set properties.publicNetworkAccess: "Disabled" or properties.networkAcls.defaultAction: "Deny".';

export default casesFor(keyVaultNetworkRestricted, [
  { n: 1, title: "public access disabled", resource: vault(), expect: [] },
  {
    n: 2,
    title: "firewall default deny with public access on",
    resource: changed(vault(), ["properties.publicNetworkAccess", "Enabled"]),
    expect: [],
  },
  {
    n: 3,
    title: "open",
    resource: changed(vault(), ["properties.publicNetworkAccess", "Enabled"], ["properties.networkAcls.defaultAction", "Allow"]),
    expect: [message],
  },
  {
    n: 4,
    title: "nothing set",
    resource: changed(vault(), ["properties.publicNetworkAccess"], ["properties.networkAcls"]),
    expect: [message],
  },
  { n: 5, title: "not a vault", resource: cluster(), notApplicable: true },
]);
