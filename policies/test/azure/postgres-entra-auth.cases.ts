import { postgresEntraAuth } from "../../src/azure/postgres-entra-auth.js";
import { casesFor, changed } from "../lib/harness.js";
import { postgres, vault } from "../fixtures/azure.js";

export default casesFor(postgresEntraAuth, [
  { n: 1, title: "Entra authentication on", resource: postgres(), expect: [] },
  {
    n: 2,
    title: "passwords only",
    resource: changed(postgres(), ["authConfig.activeDirectoryAuth", "Disabled"]),
    expect: ['the server does not accept Microsoft Entra authentication (authConfig.activeDirectoryAuth: "Enabled").'],
  },
  { n: 3, title: "not a server", resource: vault(), notApplicable: true },
]);
