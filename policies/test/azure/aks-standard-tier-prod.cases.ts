import { aksStandardTierProd } from "../../src/azure/aks-standard-tier-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksStandardTierProd, [
  { n: 1, title: "prod: Standard", stack: "prod", resource: cluster("prod"), expect: [] },
  {
    n: 2,
    title: "prod: Free",
    stack: "prod",
    resource: changed(cluster("prod"), ["sku.tier", "Free"]),
    expect: ['the prod cluster must use the Standard or Premium tier; sku.tier is "Free".'],
  },
  {
    n: 3,
    title: "prod: no sku",
    stack: "prod",
    resource: changed(cluster("prod"), ["sku"]),
    expect: ["the prod cluster must use the Standard or Premium tier; sku.tier is not set (Free)."],
  },
  { n: 4, title: "dev may use Free", stack: "dev", resource: changed(cluster(), ["sku.tier", "Free"]), notApplicable: true },
  { n: 5, title: "not a cluster", stack: "prod", resource: vault(), notApplicable: true },
]);
