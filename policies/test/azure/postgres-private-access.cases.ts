import { postgresPrivateAccess } from "../../src/azure/postgres-private-access.js";
import { casesFor, changed } from "../lib/harness.js";
import { postgres, vault } from "../fixtures/azure.js";

const message =
  'the server is reachable from public networks: set network.delegatedSubnetResourceId or network.publicNetworkAccess: "Disabled".';

export default casesFor(postgresPrivateAccess, [
  { n: 1, title: "VNet-integrated", resource: postgres(), expect: [] },
  {
    n: 2,
    title: "private endpoint, public access disabled",
    resource: changed(postgres(), ["network", { publicNetworkAccess: "Disabled" }]),
    expect: [],
  },
  { n: 3, title: "public access", resource: changed(postgres(), ["network", { publicNetworkAccess: "Enabled" }]), expect: [message] },
  { n: 4, title: "no network settings", resource: changed(postgres(), ["network"]), expect: [message] },
  { n: 5, title: "not a server", resource: vault(), notApplicable: true },
]);
