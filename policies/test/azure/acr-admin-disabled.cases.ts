import { acrAdminDisabled } from "../../src/azure/acr-admin-disabled.js";
import { casesFor, changed } from "../lib/harness.js";
import { registry, vault } from "../fixtures/azure.js";

export default casesFor(acrAdminDisabled, [
  { n: 1, title: "admin disabled", resource: registry(), expect: [] },
  { n: 2, title: "default (disabled)", resource: changed(registry(), ["adminUserEnabled"]), expect: [] },
  {
    n: 3,
    title: "admin enabled",
    resource: changed(registry(), ["adminUserEnabled", true]),
    expect: ["the registry must not enable the admin user (adminUserEnabled: true)."],
  },
  { n: 4, title: "not a registry", resource: vault(), notApplicable: true },
]);
