import { aksOidcIssuer } from "../../src/azure/aks-oidc-issuer.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksOidcIssuer, [
  { n: 1, title: "enabled", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "not set",
    resource: changed(cluster(), ["oidcIssuerProfile"]),
    expect: ["the cluster must enable the OIDC issuer (oidcIssuerProfile.enabled: true)."],
  },
  { n: 3, title: "not a cluster", resource: vault(), notApplicable: true },
]);
