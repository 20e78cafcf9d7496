import * as pulumi from "@pulumi/pulumi";
import { Application } from "@pulumi/azuread/application.js";
import { ApplicationFederatedIdentityCredential } from "@pulumi/azuread/applicationFederatedIdentityCredential.js";
import { ServicePrincipal } from "@pulumi/azuread/servicePrincipal.js";
import type { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment.js";
import { childName } from "../../naming.js";
import { assignRole, type RoleAssignmentSpec } from "../roles.js";

/** Token issuer of GitHub Actions OIDC. */
export const githubOidcIssuer = "https://token.actions.githubusercontent.com";

/**
 * Which GitHub Actions jobs may sign in. A job's OIDC token carries exactly one subject: the environment
 * (`environment:<name>`) when the job names one, else `pull_request` for pull-request events, else the ref
 * (`ref:refs/heads/<branch>`, `ref:refs/tags/<tag>`). Trust only what the identity is for: a deployer that
 * trusted `pull_request` would run any same-repository pull request's code with its rights.
 */
export interface GitHubTrust {
  /** Branches whose push, schedule and dispatch jobs sign in. @default [] */
  readonly branches?: readonly string[];
  /** Pull-request jobs. @default false */
  readonly pullRequests?: boolean;
  /** GitHub environments whose jobs sign in (e.g. `production`, behind required reviewers). @default [] */
  readonly environments?: readonly string[];
}

/** An Azure role the identity holds, with why (the assignment's description). */
export interface GitHubIdentityRole extends Pick<RoleAssignmentSpec, "role" | "scope" | "condition"> {
  /** Child name suffix: unique per identity. */
  readonly key: string;
  readonly why: string;
}

export interface GitHubDeployerArgs {
  readonly displayName: string;
  /** `owner/name` of the repository whose workflows may sign in. */
  readonly repository: string;
  readonly trust: GitHubTrust;
  readonly subscriptionId: pulumi.Input<string>;
  /** The identity's Azure roles; nothing else is granted. @default [] */
  readonly roles?: readonly GitHubIdentityRole[];
}

const namePattern = /^[A-Za-z0-9_.-]+$/;

/** The federated credentials' subjects by key, for the trust given; throws when it trusts nothing or names are bad. */
export function githubSubjects(repository: string, trust: GitHubTrust): Record<string, string> {
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository)) throw new Error(`repository must be owner/name, got "${repository}"`);
  const branches = trust.branches ?? [];
  const environments = trust.environments ?? [];
  const bad = [...branches.filter((b) => !/^[A-Za-z0-9_./-]+$/.test(b)), ...environments.filter((e) => !namePattern.test(e))];
  if (bad.length) throw new Error(`branch and environment names must be letters, digits, '.', '_', '/' or '-', got ${bad.join(", ")}`);
  const subjects: Record<string, string> = {
    ...Object.fromEntries(branches.map((b) => [`branch-${b.replace(/\//g, "-")}`, `repo:${repository}:ref:refs/heads/${b}`])),
    ...(trust.pullRequests ? { "pull-requests": `repo:${repository}:pull_request` } : {}),
    ...Object.fromEntries(environments.map((e) => [`env-${e}`, `repo:${repository}:environment:${e}`])),
  };
  if (Object.keys(subjects).length === 0) throw new Error("trust: names no branch, pull requests or environment: nothing could sign in");
  return subjects;
}

/**
 * An Entra application and service principal that GitHub Actions signs in as through OIDC federation (no
 * client secret or certificate): one federated credential per trusted subject, and exactly the Azure roles
 * given. The bootstrap stack creates the deployers and the read-only preview/drift identities with it.
 */
export class GitHubDeployer extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  readonly servicePrincipalObjectId: pulumi.Output<string>;
  /** The role assignments, for what must wait until they have propagated. */
  readonly roleAssignments: readonly RoleAssignment[];
  /** The federated credentials (their subjects are the only way in). */
  readonly federatedCredentials: readonly ApplicationFederatedIdentityCredential[];

  constructor(name: string, args: GitHubDeployerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:GitHubDeployer", name, {}, opts);
    let subjects: ReturnType<typeof githubSubjects>;
    try {
      subjects = githubSubjects(args.repository, args.trust);
    } catch (e) {
      throw new pulumi.ResourceError(`GitHubDeployer "${name}": ${(e as Error).message}`, this);
    }
    const app = new Application(
      name,
      {
        displayName: args.displayName,
        description: `GitHub Actions identity of ${args.repository} (OIDC federation, no client secret)`,
        signInAudience: "AzureADMyOrg",
        preventDuplicateNames: true,
      },
      { parent: this },
    );
    const sp = new ServicePrincipal(
      name,
      { clientId: app.clientId, description: `GitHub Actions identity of ${args.repository}` },
      { parent: app },
    );
    this.federatedCredentials = Object.entries(subjects).map(
      ([key, subject]) =>
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
        ),
    );
    this.roleAssignments = (args.roles ?? []).map((r) =>
      assignRole(
        childName(name, r.key),
        {
          role: r.role,
          scope: r.scope,
          principalId: sp.objectId,
          principalType: "ServicePrincipal",
          subscriptionId: args.subscriptionId,
          description: `${args.displayName}: ${r.why}`,
          ...(r.condition ? { condition: r.condition } : {}),
        },
        sp,
      ),
    );
    this.clientId = app.clientId;
    this.servicePrincipalObjectId = sp.objectId;
    this.registerOutputs({ clientId: this.clientId });
  }
}
