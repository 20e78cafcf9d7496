import { keyVaultRbacAuthorization } from "../../src/azure/keyvault-rbac-authorization.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(keyVaultRbacAuthorization, [
  { n: 1, title: "RBAC authorization", resource: vault(), expect: [] },
  {
    n: 2,
    title: "access policies model",
    resource: changed(vault(), ["properties.enableRbacAuthorization", false]),
    expect: ["the vault must set properties.enableRbacAuthorization: true."],
  },
  {
    n: 3,
    title: "access policies alongside",
    resource: changed(vault(), ["properties.accessPolicies", [{ tenantId: "t", objectId: "o", permissions: { secrets: ["get"] } }]]),
    expect: ["the vault must not grant access through properties.accessPolicies; use role assignments."],
  },
  { n: 4, title: "not a vault", resource: cluster(), notApplicable: true },
]);
