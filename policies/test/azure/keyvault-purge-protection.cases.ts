import { keyVaultPurgeProtection } from "../../src/azure/keyvault-purge-protection.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(keyVaultPurgeProtection, [
  { n: 1, title: "purge protection", resource: vault(), expect: [] },
  {
    n: 2,
    title: "not set",
    resource: changed(vault(), ["properties.enablePurgeProtection"]),
    expect: ["the vault must set properties.enablePurgeProtection: true."],
  },
  { n: 3, title: "not a vault", resource: cluster(), notApplicable: true },
]);
