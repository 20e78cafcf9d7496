import { noOwnerRoleForWorkloadIdentity } from "../../src/azure/no-owner-role-for-workload-identity.js";
import { casesFor, changed } from "../lib/harness.js";
import { identity, roleAssignment, roles } from "../fixtures/azure.js";

const id = identity("tasks-api");

export default casesFor(noOwnerRoleForWorkloadIdentity, [
  {
    n: 1,
    title: "a data-plane role for the identity",
    resources: [id, roleAssignment(roles.keyVaultSecretsUser, "tasks-api-identity")],
    expect: [],
  },
  {
    n: 2,
    title: "Owner for a principal that is not a workload identity (CI deployer)",
    resources: [id, roleAssignment(roles.owner, undefined, "deployer-sp")],
    expect: [],
  },
  {
    n: 3,
    title: "Owner for the identity, by dependency",
    resources: [id, roleAssignment(roles.owner, "tasks-api-identity")],
    expect: ['role assignment "ra-8e3af657-tasks-api-identity" grants Owner to managed identity "tasks-api-identity".'],
  },
  {
    n: 4,
    title: "User Access Administrator for the identity, by principal id",
    resources: [id, roleAssignment(roles.userAccessAdministrator, undefined, "principal-tasks-api")],
    expect: ['role assignment "ra-18d7d88d" grants User Access Administrator to managed identity "tasks-api-identity".'],
  },
  {
    n: 5,
    title: "role definition id given as a bare GUID",
    resources: [id, changed(roleAssignment(roles.owner, "tasks-api-identity"), ["roleDefinitionId", roles.owner])],
    expect: ['role assignment "ra-8e3af657-tasks-api-identity" grants Owner to managed identity "tasks-api-identity".'],
  },
]);
