import * as pulumi from "@pulumi/pulumi";
import { FederatedIdentityCredential } from "@pulumi/azure-native/managedidentity/federatedIdentityCredential.js";
import { UserAssignedIdentity } from "@pulumi/azure-native/managedidentity/userAssignedIdentity.js";
import { allServices, serviceAccounts, type ServiceName } from "@tasks/catalog";
import { childName } from "../../naming.js";
import { assignRole, type BuiltInRole } from "../roles.js";
import type { AzureScope } from "../scope.js";

/** Audience of Entra workload identity federation tokens. */
export const workloadIdentityAudience = "api://AzureADTokenExchange";

/** The subject a Kubernetes service account token carries: `system:serviceaccount:<namespace>:<name>`. */
export const serviceAccountSubject = (service: ServiceName): string =>
  `system:serviceaccount:${serviceAccounts.namespace}:${serviceAccounts.nameOf(service)}`;

export interface ScopedRole {
  readonly role: BuiltInRole;
  readonly scope: pulumi.Input<string>;
}

export interface WorkloadIdentitiesArgs extends AzureScope {
  /** The AKS OIDC issuer URL. */
  readonly oidcIssuerUrl: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  /** Roles every service identity gets, e.g. Key Vault Secrets User on the vault. @default [] */
  readonly roles?: readonly ScopedRole[];
  /** @default every catalog service */
  readonly services?: readonly ServiceName[];
}

/**
 * One user-assigned managed identity per service, federated with the service's Kubernetes service
 * account (workload identity), holding only the roles given.
 */
export class WorkloadIdentities extends pulumi.ComponentResource {
  /** Client id per service: the `azure.workload.identity/client-id` service account annotation. */
  readonly clientIds: Readonly<Partial<Record<ServiceName, pulumi.Output<string>>>>;
  readonly principalIds: Readonly<Partial<Record<ServiceName, pulumi.Output<string>>>>;
  /** Every role assignment and federated credential: what a pod's first token exchange relies on. */
  readonly grants: readonly pulumi.CustomResource[];

  constructor(name: string, args: WorkloadIdentitiesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:WorkloadIdentities", name, {}, opts);
    const a = { roles: [] as readonly ScopedRole[], services: allServices.map((s) => s.name), ...args };
    const clientIds: Partial<Record<ServiceName, pulumi.Output<string>>> = {};
    const principalIds: Partial<Record<ServiceName, pulumi.Output<string>>> = {};
    const grants: pulumi.CustomResource[] = [];
    for (const service of a.services) {
      const identity = new UserAssignedIdentity(
        childName(name, service),
        {
          resourceGroupName: a.resourceGroupName,
          location: a.location,
          tags: { ...a.tags, service },
        },
        { parent: this },
      );
      const credential = new FederatedIdentityCredential(
        childName(name, `${service}-k8s`),
        {
          resourceGroupName: a.resourceGroupName,
          resourceName: identity.name,
          federatedIdentityCredentialResourceName: `k8s-${serviceAccounts.namespace}-${serviceAccounts.nameOf(service)}`,
          issuer: a.oidcIssuerUrl,
          subject: serviceAccountSubject(service),
          audiences: [workloadIdentityAudience],
        },
        { parent: identity },
      );
      grants.push(credential);
      for (const { role, scope } of a.roles) {
        const assignment = assignRole(
          childName(name, `${service}-${role}`),
          {
            role,
            scope,
            principalId: identity.principalId,
            principalType: "ServicePrincipal",
            subscriptionId: a.subscriptionId,
            description: `${service} workload identity`,
          },
          identity,
        );
        grants.push(assignment);
      }
      clientIds[service] = identity.clientId;
      principalIds[service] = identity.principalId;
    }
    this.clientIds = clientIds;
    this.principalIds = principalIds;
    this.grants = grants;
    this.registerOutputs({ clientIds });
  }
}

/** A Kubernetes service account, by namespace and name. */
export interface ServiceAccountRef {
  readonly namespace: string;
  readonly name: string;
}

export interface PlatformIdentityArgs extends AzureScope {
  readonly oidcIssuerUrl: pulumi.Input<string>;
  readonly subscriptionId: pulumi.Input<string>;
  /** The service accounts that sign in as this identity. */
  readonly serviceAccounts: readonly ServiceAccountRef[];
  readonly roles: readonly ScopedRole[];
}

/**
 * One user-assigned identity for a platform component (not a catalog service), federated with each of its
 * service accounts: e.g. the monitoring pods reading Key Vault, or KEDA's operator reading the broker's credentials.
 */
export class PlatformIdentity extends pulumi.ComponentResource {
  readonly clientId: pulumi.Output<string>;
  readonly principalId: pulumi.Output<string>;
  /** Its federated credentials and role assignments (what a propagation wait waits for). */
  readonly grants: readonly pulumi.CustomResource[];

  constructor(name: string, args: PlatformIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:PlatformIdentity", name, {}, opts);
    const identity = new UserAssignedIdentity(
      name,
      { resourceGroupName: args.resourceGroupName, location: args.location, tags: args.tags },
      { parent: this },
    );
    const grants: pulumi.CustomResource[] = [];
    for (const sa of args.serviceAccounts) {
      const credential = new FederatedIdentityCredential(
        childName(name, `${sa.namespace}-${sa.name}`),
        {
          resourceGroupName: args.resourceGroupName,
          resourceName: identity.name,
          federatedIdentityCredentialResourceName: `k8s-${sa.namespace}-${sa.name}`,
          issuer: args.oidcIssuerUrl,
          subject: `system:serviceaccount:${sa.namespace}:${sa.name}`,
          audiences: [workloadIdentityAudience],
        },
        { parent: identity },
      );
      grants.push(credential);
    }
    for (const { role, scope } of args.roles) {
      const assignment = assignRole(
        childName(name, role),
        {
          role,
          scope,
          principalId: identity.principalId,
          principalType: "ServicePrincipal",
          subscriptionId: args.subscriptionId,
          description: `${name} platform identity`,
        },
        identity,
      );
      grants.push(assignment);
    }
    this.grants = grants;
    this.clientId = identity.clientId;
    this.principalId = identity.principalId;
    this.registerOutputs({ clientId: this.clientId });
  }
}
