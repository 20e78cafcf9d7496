import { keyVaultSoftDelete } from "../../src/azure/keyvault-soft-delete.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(keyVaultSoftDelete, [
  { n: 1, title: "soft delete 90 days", resource: vault(), expect: [] },
  {
    n: 2,
    title: "defaults (on, 90 days)",
    resource: changed(vault(), ["properties.enableSoftDelete"], ["properties.softDeleteRetentionInDays"]),
    expect: [],
  },
  { n: 3, title: "7 days is the floor", resource: changed(vault(), ["properties.softDeleteRetentionInDays", 7]), expect: [] },
  {
    n: 4,
    title: "soft delete off",
    resource: changed(vault(), ["properties.enableSoftDelete", false]),
    expect: ["the vault must not turn soft delete off (properties.enableSoftDelete: false)."],
  },
  {
    n: 5,
    title: "3 days",
    resource: changed(vault(), ["properties.softDeleteRetentionInDays", 3]),
    expect: ["the vault keeps deleted objects 3 days; set softDeleteRetentionInDays to at least 7."],
  },
  { n: 6, title: "not a vault", resource: cluster(), notApplicable: true },
]);
