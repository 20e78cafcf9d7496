import * as pulumi from "@pulumi/pulumi";
import { Application } from "@pulumi/azuread/application.js";
import { ApplicationFederatedIdentityCredential } from "@pulumi/azuread/applicationFederatedIdentityCredential.js";
import { ServicePrincipal } from "@pulumi/azuread/servicePrincipal.js";
import { childName } from "../../naming.js";
import { assignRole, onlyAssignRoles, type BuiltInRole } from "../roles.js";

/** Token issuer of GitHub Actions OIDC. */
export const githubOidcIssuer = "https://token.actions.githubusercontent.com";

export interface GitHubDeployerArgs {
  readonly displayName: string;
  /** `owner/name` of the repository whose workflows may sign in. */
  readonly repository: string;
  /** Branch whose workflows deploy. @default "main" */
  readonly branch?: string;
  /** GitHub environments whose jobs may sign in (e.g. `production`, behind required reviewers). @default [] */
  readonly environments?: readonly string[];
  /** The deployer's roles are scoped to this resource group. */
  readonly resourceGroupId: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  /** Roles the program itself assigns; the deployer may create and delete assignments of these only. */
  readonly assignableRoles: readonly BuiltInRole[];
}

/**
 * The subjects GitHub puts in the OIDC token of a job: on the branch, in a pull request, and in each
 * environment (a job with `environment:` gets that subject instead of the branch one).
 */
export function githubSubjects(repository: string, branch = "main", environments: readonly string[] = []): Record<string, string> {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) throw new Error(`repository must be owner/name, got "${repository}"`);
  const bad = environments.filter((e) => !/^[A-Za-z0-9_.-]+$/.test(e));
  if (bad.length) throw new Error(`environment names must be letters, digits, '.', '_' or '-', got ${bad.join(", ")}`);
  return {
    [branch]: `repo:${repository}:ref:refs/heads/${branch}`,
    "pull-requests": `repo:${repository}:pull_request`,
    ...Object.fromEntries(environments.map((e) => [`env-${e}`, `repo:${repository}:environment:${e}`])),
  };
}

/**
 * The Entra application and service principal GitHub Actions signs in as through OIDC federation
 * (no client secret or certificate), with its roles scoped to the resource group: Contributor, AKS
 * RBAC Cluster Admin (to apply Kubernetes objects), and RBAC Administrator constrained to the roles
 * the program assigns.
 */
export class GitHubDeployer extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  readonly servicePrincipalObjectId: pulumi.Output<string>;

  constructor(name: string, args: GitHubDeployerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:GitHubDeployer", name, {}, opts);
    let subjects: ReturnType<typeof githubSubjects>;
    try {
      subjects = githubSubjects(args.repository, args.branch, args.environments);
    } catch (e) {
      throw new pulumi.ResourceError(`GitHubDeployer "${name}": ${(e as Error).message}`, this);
    }
    const app = new Application(
      name,
      {
        displayName: args.displayName,
        description: `GitHub Actions deployer of ${args.repository} (OIDC federation, no client secret)`,
        signInAudience: "AzureADMyOrg",
        preventDuplicateNames: true,
      },
      { parent: this },
    );
    const sp = new ServicePrincipal(
      name,
      { clientId: app.clientId, description: `GitHub Actions deployer of ${args.repository}` },
      { parent: app },
    );
    for (const [key, subject] of Object.entries(subjects)) {
      new ApplicationFederatedIdentityCredential(
        childName(name, key),
        {
          applicationId: app.id,
          displayName: `github-${key}`,
          description: `GitHub Actions: ${subject}`,
          issuer: githubOidcIssuer,
          subject,
          audiences: ["api://AzureADTokenExchange"],
        },
        { parent: app },
      );
    }
    assignDeployerRoles(name, args, sp);
    this.clientId = app.clientId;
    this.servicePrincipalObjectId = sp.objectId;
    this.registerOutputs({ clientId: this.clientId });
  }
}

/** The deployer's roles on the resource group; RBAC Administrator only for the roles the program assigns. */
function assignDeployerRoles(name: string, args: GitHubDeployerArgs, sp: ServicePrincipal): void {
  const roles: { role: BuiltInRole; condition?: string; why: string }[] = [
    { role: "contributor", why: "creates and updates the stack's resources" },
    { role: "aksRbacClusterAdmin", why: "applies the platform's Kubernetes objects through Entra ID" },
    { role: "rbacAdministrator", condition: onlyAssignRoles(args.assignableRoles), why: "assigns only the roles the program needs" },
  ];
  for (const r of roles) {
    assignRole(
      childName(name, r.role),
      {
        role: r.role,
        scope: args.resourceGroupId,
        principalId: sp.objectId,
        principalType: "ServicePrincipal",
        subscriptionId: args.subscriptionId,
        description: `GitHub deployer ${r.why}`,
        ...(r.condition ? { condition: r.condition } : {}),
      },
      sp,
    );
  }
}
