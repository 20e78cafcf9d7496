import * as pulumi from "@pulumi/pulumi";
import { TasksApiRegistration } from "@tasks/infra/azure/entra/index";
import { childName } from "@tasks/infra/naming";
import type { ServiceIdentity } from "../contracts.js";
import { byoIdentity, identityVerification } from "../config/identity.js";
import type { AzureContext } from "./foundation.js";

export interface SignIn {
  /** What the public services verify tokens against. */
  readonly identity: ServiceIdentity;
  /** The Entra ID registrations (provider entra). */
  readonly registration?: TasksApiRegistration;
}

/**
 * Step 3b of the Azure stack: end-user sign-in. With provider entra the program registers the API and
 * the single-page client in the tenant it deploys with; with provider oidc the stack config names the
 * issuer, audience and JWKS of the organisation's own provider, and nothing is registered.
 */
export function createSignIn(ctx: AzureContext): SignIn {
  const id = ctx.cfg.identity;
  if (id.provider !== "entra") return { identity: byoIdentity(id) };
  const registration = new TasksApiRegistration(childName(ctx.prefix, "sign-in"), {
    displayName: ctx.prefix,
    tenantId: ctx.client.tenantId,
    host: ctx.cfg.domain,
    extraRedirectUris: id.redirectUris ?? [],
    assignmentRequired: id.assignmentRequired ?? false,
  });
  return {
    registration,
    identity: {
      ...identityVerification(id),
      issuer: registration.issuer,
      audience: registration.audience,
      jwksUrl: registration.jwksUrl,
      // Refresh tokens for the SPA need offline_access; the API travels in the scope (Entra has no resource parameter).
      webClient: { clientId: registration.spaClientId, scope: pulumi.interpolate`openid email offline_access ${registration.scope}` },
    },
  };
}
