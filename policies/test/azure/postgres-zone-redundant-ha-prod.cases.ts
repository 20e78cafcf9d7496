import { postgresZoneRedundantHaProd } from "../../src/azure/postgres-zone-redundant-ha-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { postgres, vault } from "../fixtures/azure.js";

export default casesFor(postgresZoneRedundantHaProd, [
  { n: 1, title: "prod: zone redundant", stack: "prod", resource: postgres("prod"), expect: [] },
  {
    n: 2,
    title: "prod: same-zone HA",
    stack: "prod",
    resource: changed(postgres("prod"), ["highAvailability.mode", "SameZone"]),
    expect: ['the prod server must use zone-redundant HA; highAvailability.mode is "SameZone".'],
  },
  {
    n: 3,
    title: "prod: no HA",
    stack: "prod",
    resource: changed(postgres("prod"), ["highAvailability"]),
    expect: ["the prod server must use zone-redundant HA; highAvailability.mode is not set."],
  },
  { n: 4, title: "dev runs without HA", stack: "dev", resource: postgres("dev"), notApplicable: true },
  { n: 5, title: "not a server", stack: "prod", resource: vault(), notApplicable: true },
]);
