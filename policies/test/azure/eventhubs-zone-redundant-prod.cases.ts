import { eventHubsZoneRedundantProd } from "../../src/azure/eventhubs-zone-redundant-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { ehNamespace, vault } from "../fixtures/azure.js";

export default casesFor(eventHubsZoneRedundantProd, [
  { n: 1, title: "prod: zone redundant", stack: "prod", resource: ehNamespace("prod", "Premium"), expect: [] },
  {
    n: 2,
    title: "prod: not zone redundant",
    stack: "prod",
    resource: changed(ehNamespace("prod", "Premium"), ["zoneRedundant", false]),
    expect: ["the prod namespace must set zoneRedundant: true."],
  },
  { n: 3, title: "dev is exempt", stack: "dev", resource: changed(ehNamespace(), ["zoneRedundant"]), notApplicable: true },
  { n: 4, title: "not a namespace", stack: "prod", resource: vault(), notApplicable: true },
]);
