import * as pulumi from "@pulumi/pulumi";
import { Group } from "@pulumi/azuread/group.js";

export interface AksAdminsGroupArgs {
  readonly displayName: string;
  /** Object ids of users, groups or service principals to add. @default [] */
  readonly members?: readonly pulumi.Input<string>[];
}

/**
 * The Entra security group whose members administer the cluster: AksCluster sets it as the AAD admin
 * group and grants it "Azure Kubernetes Service RBAC Cluster Admin" on the cluster; it is also the
 * Postgres Entra administrator.
 */
export class AksAdminsGroup extends pulumi.ComponentResource {
  readonly objectId: pulumi.Output<string>;
  readonly displayName: pulumi.Output<string>;

  constructor(name: string, args: AksAdminsGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:AksAdminsGroup", name, {}, opts);
    const group = new Group(
      name,
      {
        displayName: args.displayName,
        description: "Administrators of the tasks platform AKS cluster (Azure RBAC) and its Postgres server (Entra admin)",
        securityEnabled: true,
        mailEnabled: false,
        preventDuplicateNames: true,
        members: [...(args.members ?? [])],
      },
      { parent: this },
    );
    this.objectId = group.objectId;
    this.displayName = group.displayName;
    this.registerOutputs({ objectId: this.objectId });
  }
}
