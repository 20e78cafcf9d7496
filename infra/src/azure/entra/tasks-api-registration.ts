import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { Application } from "@pulumi/azuread/application.js";
import { ServicePrincipal } from "@pulumi/azuread/servicePrincipal.js";
import { ServicePrincipalDelegatedPermissionGrant } from "@pulumi/azuread/servicePrincipalDelegatedPermissionGrant.js";
import { childName } from "../../naming.js";

/** The delegated scope the SPA asks for; the services accept any token issued for the API. */
export const tasksScope = "Tasks.ReadWrite";

export interface TasksApiRegistrationArgs {
  /** Display names: `<displayName>-api` and `<displayName>-web`. */
  readonly displayName: string;
  readonly tenantId: pulumi.Input<string>;
  /** The stack's public host: the SPA's redirect URI is https://<host>/. */
  readonly host: string;
  /** More redirect URIs of the SPA (a developer's local web server). @default [] */
  readonly extraRedirectUris?: readonly string[];
  /** Users must be assigned to the SPA (Enterprise applications → Users and groups) to sign in. @default false */
  readonly assignmentRequired?: boolean;
  /**
   * Grant tenant-wide consent to Tasks.ReadWrite (no consent prompt for users). Needs Microsoft Graph
   * DelegatedPermissionGrant.ReadWrite.All, which the bootstrap's deployers do not have: off, users consent to
   * the user-consentable scope at their first sign-in, or an administrator grants admin consent once.
   * @default false
   */
  readonly tenantWideConsent?: boolean;
}

/** A version-5-style UUID from a name: the scope's id must be a GUID that stays the same on every run. */
export function stableUuid(name: string): string {
  const h = createHash("sha1").update(`tasks-platform/${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString("hex");
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Entra ID v2 endpoints of a tenant: the `iss` of its v2 tokens and where its signing keys are. */
export function entraEndpoints(tenantId: pulumi.Input<string>): { issuer: pulumi.Output<string>; jwksUrl: pulumi.Output<string> } {
  return {
    issuer: pulumi.interpolate`https://login.microsoftonline.com/${tenantId}/v2.0`,
    jwksUrl: pulumi.interpolate`https://login.microsoftonline.com/${tenantId}/discovery/v2.0/keys`,
  };
}

/**
 * The platform's registrations in Entra ID, for end-user sign-in:
 * - the API: application ID URI api://<tenant>/<displayName>-api, the delegated scope Tasks.ReadWrite,
 *   v2 access tokens (`api.requestedAccessTokenVersion: 2`, so `iss` is the v2 issuer and `aud` the API's
 *   client id) carrying the optional `email` claim, and its service principal;
 * - the web client: a public single-page application (redirect URIs under the public host, authorization
 *   code with PKCE, no secret, no implicit grant) that requires the API's scope, and its service principal;
 *   tenant-wide consent to that scope only when asked (`tenantWideConsent`).
 */
export class TasksApiRegistration extends pulumi.ComponentResource {
  /** The `aud` of the API's v2 access tokens: its client id. */
  readonly audience: pulumi.Output<string>;
  readonly apiClientId: pulumi.Output<string>;
  readonly identifierUri: pulumi.Output<string>;
  /** The full scope a client requests, api://…/Tasks.ReadWrite. */
  readonly scope: pulumi.Output<string>;
  readonly spaClientId: pulumi.Output<string>;
  readonly issuer: pulumi.Output<string>;
  readonly jwksUrl: pulumi.Output<string>;

  constructor(name: string, args: TasksApiRegistrationArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:TasksApiRegistration", name, {}, opts);
    const scopeId = stableUuid(`${args.displayName}/${tasksScope}`);
    const identifierUri = pulumi.interpolate`api://${args.tenantId}/${args.displayName}-api`;
    const api = new Application(
      childName(name, "api"),
      {
        displayName: `${args.displayName}-api`,
        description: "The tasks platform's public API: users' access tokens are issued for it",
        signInAudience: "AzureADMyOrg",
        preventDuplicateNames: true,
        identifierUris: [identifierUri],
        api: {
          requestedAccessTokenVersion: 2,
          oauth2PermissionScopes: [
            {
              id: scopeId,
              value: tasksScope,
              type: "User",
              enabled: true,
              adminConsentDisplayName: "Read and write your tasks",
              adminConsentDescription: "Lets the app read and write the signed-in user's tasks, reminders and history.",
              userConsentDisplayName: "Read and write your tasks",
              userConsentDescription: "Lets the app read and write your tasks, reminders and history.",
            },
          ],
        },
        optionalClaims: { accessTokens: [{ name: "email" }] },
      },
      { parent: this },
    );
    const apiSp = new ServicePrincipal(
      childName(name, "api"),
      { clientId: api.clientId, description: "tasks platform API" },
      { parent: api },
    );
    const spa = new Application(
      childName(name, "web"),
      {
        displayName: `${args.displayName}-web`,
        description: "The tasks platform's single-page app: a public client (authorization code with PKCE, no secret)",
        signInAudience: "AzureADMyOrg",
        preventDuplicateNames: true,
        singlePageApplication: { redirectUris: [`https://${args.host}/`, ...(args.extraRedirectUris ?? [])] },
        web: { implicitGrant: { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false } },
        requiredResourceAccesses: [{ resourceAppId: api.clientId, resourceAccesses: [{ id: scopeId, type: "Scope" }] }],
      },
      { parent: this },
    );
    const spaSp = new ServicePrincipal(
      childName(name, "web"),
      { clientId: spa.clientId, appRoleAssignmentRequired: args.assignmentRequired ?? false, description: "tasks platform web app" },
      { parent: spa },
    );
    if (args.tenantWideConsent ?? false) {
      new ServicePrincipalDelegatedPermissionGrant(
        childName(name, "web-consent"),
        { servicePrincipalObjectId: spaSp.objectId, resourceServicePrincipalObjectId: apiSp.objectId, claimValues: [tasksScope] },
        { parent: spa },
      );
    }
    const endpoints = entraEndpoints(args.tenantId);
    this.audience = api.clientId;
    this.apiClientId = api.clientId;
    this.identifierUri = identifierUri;
    this.scope = pulumi.interpolate`${identifierUri}/${tasksScope}`;
    this.spaClientId = spa.clientId;
    this.issuer = endpoints.issuer;
    this.jwksUrl = endpoints.jwksUrl;
    this.registerOutputs({ audience: this.audience, scope: this.scope, spaClientId: this.spaClientId });
  }
}
