import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy, source } from "../lib/metadata.js";
import { azureTypes } from "../lib/azure.js";
import { knownOr } from "../lib/unknown.js";

/** Built-in roles that can grant access to others (role definition GUIDs are the same in every tenant). */
export const privilegedRoles: Readonly<Record<string, string>> = {
  "8e3af657-a8ff-443c-a75c-2fe8c4bab635": "Owner",
  "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9": "User Access Administrator",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "Role Based Access Control Administrator",
};

const roleOf = (roleDefinitionId: unknown): string | undefined =>
  typeof roleDefinitionId === "string" ? privilegedRoles[roleDefinitionId.split("/").pop()?.toLowerCase() ?? ""] : undefined;

/** The managed identity a role assignment is for: by dependency on the identity, or by its principal id. */
function assigneeIdentity(assignment: PolicyResource, identities: readonly PolicyResource[]): PolicyResource | undefined {
  const principalDeps = assignment.propertyDependencies.principalId ?? [];
  const byDependency = [...principalDeps, ...assignment.dependencies].find((d) => d.type === azureTypes.userAssignedIdentity);
  if (byDependency) return byDependency;
  const principalId = knownOr(() => assignment.props.principalId, undefined);
  if (typeof principalId !== "string") return undefined;
  return identities.find((i) => knownOr(() => i.props.principalId, undefined) === principalId);
}

export const noOwnerRoleForWorkloadIdentity = stackPolicy({
  name: "azure-no-owner-role-for-workload-identity",
  description:
    "No managed identity used by workloads holds Owner, User Access Administrator or Role Based Access Control Administrator: a compromised pod must not be able to grant itself more access.",
  enforcementLevel: "mandatory",
  severity: "critical",
  sources: [
    source("aks-baseline", "Identity/least privilege", "Workload identities get only the data-plane roles they need"),
    source("checkov", "CKV_AZURE_39", "Ensure that no custom subscription owner roles are created"),
  ],
  url: "https://learn.microsoft.com/azure/role-based-access-control/best-practices",
  remediationSteps:
    "Assign the identity only data-plane roles on the resources it uses (Key Vault Secrets User, Azure Event Hubs Data Sender/Receiver, AcrPull).",
  tags: ["azure", "security", "identity"],
  validateStack: (args, report) => {
    const identities = args.resources.filter((r) => r.type === azureTypes.userAssignedIdentity);
    for (const assignment of args.resources.filter((r) => r.type === azureTypes.roleAssignment)) {
      const role = roleOf(knownOr(() => assignment.props.roleDefinitionId, undefined));
      if (!role) continue;
      const identity = assigneeIdentity(assignment, identities);
      if (identity) report(`role assignment "${assignment.name}" grants ${role} to managed identity "${identity.name}".`, assignment.urn);
    }
  },
});
