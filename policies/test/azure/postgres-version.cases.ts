import { postgresVersion } from "../../src/azure/postgres-version.js";
import { casesFor, changed } from "../lib/harness.js";
import { postgres, vault } from "../fixtures/azure.js";

export default casesFor(postgresVersion, [
  { n: 1, title: "16", resource: postgres(), expect: [] },
  { n: 2, title: "17", resource: changed(postgres(), ["version", "17"]), expect: [] },
  { n: 3, title: "14", resource: changed(postgres(), ["version", "14"]), expect: ["the server runs Postgres 14; use 16 or later."] },
  { n: 4, title: "unset", resource: changed(postgres(), ["version"]), expect: ["the server does not set version; pin 16 or later."] },
  { n: 5, title: "not a server", resource: vault(), notApplicable: true },
]);
