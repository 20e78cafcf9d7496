import type * as pulumi from "@pulumi/pulumi";
import { PolicyAssignment } from "@pulumi/azure-native/authorization/policyAssignment.js";

/** Built-in initiative "Kubernetes cluster pod security restricted standards for Linux-based workloads". */
export const podSecurityRestrictedInitiative =
  "/providers/Microsoft.Authorization/policySetDefinitions/42b8ef37-b724-4e24-bbc8-7a7708edfe00";

export interface PodSecurityAssignmentArgs {
  /** The resource group whose AKS clusters the initiative audits or denies (assigned before they exist). */
  readonly scope: pulumi.Input<string>;
  readonly displayName: string;
  /** Audit first; Deny once Azure Policy's compliance report of the cluster is clean. */
  readonly effect: "Audit" | "Deny";
  /**
   * Namespaces the initiative skips: the system ones, and those whose charts need host access or privileges
   * (monitoring's node-exporter runs with the host's network and PID namespace and hostPath mounts).
   */
  readonly excludedNamespaces: readonly string[];
}

/**
 * The Pod Security restricted initiative on a resource group, through the AKS Azure Policy add-on. Assigned by
 * the bootstrap stack (its owner holds Microsoft.Authorization/policyAssignments/write; the deployers do not),
 * so switching Audit to Deny is a reviewed bootstrap change, not something a deploy can do or undo.
 */
export function podSecurityAssignment(name: string, args: PodSecurityAssignmentArgs, opts: pulumi.CustomResourceOptions): PolicyAssignment {
  return new PolicyAssignment(
    name,
    {
      scope: args.scope,
      displayName: args.displayName,
      policyDefinitionId: podSecurityRestrictedInitiative,
      enforcementMode: "Default",
      parameters: {
        effect: { value: args.effect },
        excludedNamespaces: { value: [...args.excludedNamespaces] },
      },
    },
    opts,
  );
}
