import { acrZoneRedundantProd } from "../../src/azure/acr-zone-redundant-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { registry, vault } from "../fixtures/azure.js";

export default casesFor(acrZoneRedundantProd, [
  { n: 1, title: "prod: Premium, zone redundant", stack: "prod", resource: registry("prod"), expect: [] },
  {
    n: 2,
    title: "prod: Standard",
    stack: "prod",
    resource: changed(registry("prod"), ["sku.name", "Standard"], ["zoneRedundancy"]),
    expect: [
      'the prod registry must be Premium for zone redundancy; sku.name is "Standard".',
      'the prod registry must set zoneRedundancy: "Enabled".',
    ],
  },
  {
    n: 3,
    title: "prod: Premium without zone redundancy",
    stack: "prod",
    resource: changed(registry("prod"), ["zoneRedundancy", "Disabled"]),
    expect: ['the prod registry must set zoneRedundancy: "Enabled".'],
  },
  { n: 4, title: "dev is exempt", stack: "dev", resource: changed(registry(), ["sku.name", "Basic"]), notApplicable: true },
  { n: 5, title: "not a registry", stack: "prod", resource: vault(), notApplicable: true },
]);
