import type * as pulumi from "@pulumi/pulumi";
import type { RoleAssignment } from "@pulumi/azure-native/authorization/roleAssignment.js";
import { ResourceGroup } from "@pulumi/azure-native/resources/resourceGroup.js";
import type { Sleep } from "@pulumiverse/time/sleep.js";
import { ContainerRegistry } from "@tasks/infra/azure/acr/index";
import {
  AksAdminsGroup,
  GitHubDeployer,
  graphAppRoleAssignment,
  type GitHubIdentityRole,
  type GitHubTrust,
} from "@tasks/infra/azure/entra/index";
import { podSecurityAssignment, previewReaderRole } from "@tasks/infra/azure/governance/index";
import { propagationDelays, propagationWait } from "@tasks/infra/azure/propagation";
import { assignRole, onlyAssignRoles, type BuiltInRole } from "@tasks/infra/azure/roles";
import { namespaces } from "@tasks/infra/k8s/names";
import { azureName, childName } from "@tasks/infra/naming";
import { standardTags } from "../config/common.js";
import type { ApplicationStack, BootstrapContext, Shared } from "./shared.js";

/** Roles the application stack assigns itself; its deployer may create and delete assignments of these only. */
export const assignedByApplicationStack: readonly BuiltInRole[] = ["acrPull", "keyVaultSecretsUser", "networkContributor"];

/**
 * Namespaces the Pod Security restricted initiative skips: the system ones, the Dapr control plane's, and
 * monitoring, whose node-exporter needs the host's network, PID namespace and filesystem. Every other
 * namespace (the services, cert-manager, the ingress) must pass "restricted" once the effect is Deny.
 */
export const podSecurityExcludedNamespaces: readonly string[] = [
  "kube-system",
  "gatekeeper-system",
  "azure-arc",
  namespaces.dapr,
  namespaces.monitoring,
];

export interface EnvironmentResources {
  readonly stack: ApplicationStack;
  readonly rg: ResourceGroup;
  readonly registry: ContainerRegistry;
  readonly registryName: pulumi.Output<string>;
  readonly admins: AksAdminsGroup;
  readonly deployer: GitHubDeployer;
  readonly reader: GitHubDeployer;
  /** Ends once the identities' and the admins' roles have had time to propagate. */
  readonly propagation: Sleep;
}

/** Who may sign in as the stack's deployer: the production environment's jobs, or the main branch's. */
export const deployerTrust = (githubEnvironment: string | undefined): GitHubTrust =>
  githubEnvironment ? { environments: [githubEnvironment] } : { branches: ["main"] };

/** Who may sign in as the read-only identity: the main branch's drift job, and pull requests where allowed. */
export const readerTrust = (previewFromPullRequests: boolean): GitHubTrust => ({
  branches: ["main"],
  pullRequests: previewFromPullRequests,
});

/**
 * Step 2 of the bootstrap, per application stack: its resource group, its container registry, its AKS admins
 * group with their cluster roles, the Pod Security initiative on the group, the GitHub deployer (exactly the
 * roles `pulumi up` needs, AKS data actions included, and Microsoft Graph Application.ReadWrite.OwnedBy for the
 * sign-in registrations) and the read-only identity of previews and drift checks,
 * then a wait for those roles to propagate before anything uses them.
 */
export function createEnvironment(ctx: BootstrapContext, shared: Shared, stack: ApplicationStack): EnvironmentResources {
  const { cfg } = ctx;
  const env = cfg.environments[stack];
  const prefix = `tasks-${stack}`;
  const tags = standardTags(stack, cfg);
  const rg = new ResourceGroup(prefix, { resourceGroupName: azureName("resourceGroup", `rg-${prefix}`), location: cfg.location, tags });
  const registryName = ctx.unique("containerRegistry", `${prefix}acr`);
  const registry = new ContainerRegistry(childName(prefix, "acr"), {
    resourceGroupName: rg.name,
    location: cfg.location,
    tags,
    registryName,
    sku: env.acr.sku,
    zoneRedundant: env.acr.zoneRedundant,
    subscriptionId: ctx.client.subscriptionId,
    ...(env.acr.sku === "Premium" ? { allowedIpRanges: cfg.allowedIpRanges } : {}),
  });
  const { admins, adminRoles } = createAdmins(ctx, stack, rg);
  podSecurityAssignment(
    childName(prefix, "pod-security"),
    {
      scope: rg.id,
      displayName: `${prefix}: pod security restricted standards`,
      effect: env.podSecurityEffect,
      excludedNamespaces: podSecurityExcludedNamespaces,
    },
    { parent: rg },
  );
  const { deployer, reader } = createGitHubIdentities(ctx, shared, stack, rg);
  const assignments = [...adminRoles, ...deployer.roleAssignments, ...reader.roleAssignments];
  const propagation = propagationWait(
    childName(prefix, "rbac-propagation"),
    {
      after: [...assignments, ...deployer.federatedCredentials, ...reader.federatedCredentials],
      triggers: Object.fromEntries(assignments.map((a, i) => [`assignment${i}`, a.id])),
      duration: propagationDelays.rbac,
    },
    { parent: rg },
  );
  return { stack, rg, registry, registryName, admins, deployer, reader, propagation };
}

/** The stack's AKS admins group and its cluster roles on the resource group (so on every cluster in it). */
function createAdmins(
  ctx: BootstrapContext,
  stack: ApplicationStack,
  rg: ResourceGroup,
): { admins: AksAdminsGroup; adminRoles: RoleAssignment[] } {
  const prefix = `tasks-${stack}`;
  const admins = new AksAdminsGroup(childName(prefix, "aks-admins"), {
    displayName: `${prefix}-aks-admins`,
    members: ctx.cfg.environments[stack].adminGroupMembers,
  });
  const adminRoles = (["aksRbacClusterAdmin", "aksClusterUser"] as const).map((role) =>
    assignRole(
      childName(prefix, `admins-${role === "aksRbacClusterAdmin" ? "cluster-admin" : "cluster-user"}`),
      {
        role,
        scope: rg.id,
        principalId: admins.objectId,
        principalType: "Group",
        subscriptionId: ctx.client.subscriptionId,
        description: "AKS admins group: Kubernetes cluster-admin through Azure RBAC, and the right to fetch the (Entra) kubeconfig",
      },
      admins,
    ),
  );
  return { admins, adminRoles };
}

/** The deployer (what `pulumi up` needs) and the read-only identity (what previews and drift checks need). */
function createGitHubIdentities(
  ctx: BootstrapContext,
  shared: Shared,
  stack: ApplicationStack,
  rg: ResourceGroup,
): { deployer: GitHubDeployer; reader: GitHubDeployer } {
  const { cfg } = ctx;
  const env = cfg.environments[stack];
  const prefix = `tasks-${stack}`;
  const deployer = new GitHubDeployer(childName(prefix, "github-deployer"), {
    displayName: `${prefix}-github-deployer`,
    repository: cfg.githubRepository,
    trust: deployerTrust(env.githubEnvironment),
    subscriptionId: ctx.client.subscriptionId,
    roles: deployerRoles(stack, rg, shared),
  });
  // The stack registers its sign-in applications in Entra ID (./azure-stack/sign-in.ts): the deployer may create
  // applications and manage those it owns (the ones it created), no others.
  graphAppRoleAssignment(
    childName(prefix, "github-deployer-graph-apps"),
    { principalObjectId: deployer.servicePrincipalObjectId, role: "Application.ReadWrite.OwnedBy" },
    { parent: deployer },
  );
  const readerRole = previewReaderRole(
    childName(prefix, "reader-role"),
    { roleName: `${prefix} preview and drift reader`, resourceGroupId: rg.id },
    { parent: rg },
  );
  const reader = new GitHubDeployer(childName(prefix, "github-reader"), {
    displayName: `${prefix}-github-reader`,
    repository: cfg.githubRepository,
    trust: readerTrust(env.previewFromPullRequests),
    subscriptionId: ctx.client.subscriptionId,
    roles: [
      { key: "read", role: { custom: readerRole.id }, scope: rg.id, why: "reads the stack's resources for previews and drift checks" },
      { key: "state", role: "storageBlobDataReader", scope: shared.state.containerIds[stack]!, why: "reads the stack's state" },
      {
        key: "secrets",
        role: "keyVaultCryptoUser",
        scope: shared.state.keyIds[stack]!,
        why: "decrypts the stack's config and state secrets",
      },
      { key: "dns", role: "reader", scope: shared.dnsZone.id, why: "reads the stack's DNS record" },
    ],
  });
  return { deployer, reader };
}

/** Exactly what the stack's `pulumi up` needs, each on the narrowest scope that works. */
function deployerRoles(stack: ApplicationStack, rg: ResourceGroup, shared: Shared): GitHubIdentityRole[] {
  return [
    { key: "contributor", role: "contributor", scope: rg.id, why: "creates and updates the stack's resources" },
    {
      key: "aks-admin",
      role: "aksRbacClusterAdmin",
      scope: rg.id,
      why: "applies the platform's Kubernetes objects (Azure RBAC data actions; granted before the cluster exists)",
    },
    {
      key: "rbac-admin",
      role: "rbacAdministrator",
      scope: rg.id,
      condition: onlyAssignRoles(assignedByApplicationStack),
      why: `assigns only ${assignedByApplicationStack.join(", ")} (the roles the stack gives its own identities)`,
    },
    {
      key: "state",
      role: "storageBlobDataContributor",
      scope: shared.state.containerIds[stack]!,
      why: "reads and writes the stack's state",
    },
    { key: "secrets", role: "keyVaultCryptoUser", scope: shared.state.keyIds[stack]!, why: "encrypts and decrypts the stack's secrets" },
    { key: "dns", role: "dnsZoneContributor", scope: shared.dnsZone.id, why: "manages the stack's A record in the DNS zone" },
  ];
}
