import { z } from "zod";
import { boolean, cidrList, dnsName, nonEmptyString, oneOf, pattern, section, throwIfInvalid, uuid, validateConfig } from "./common.js";

/**
 * Config of the bootstrap stack (Pulumi.bootstrap.yaml): what an owner of the subscription and the tenant
 * runs once, and again only to change identity or governance (docs/OPERATIONS.md "First deploy").
 */

const check = (ctx: z.core.$RefinementCtx, bad: boolean, path: string[], message: string): void => {
  if (bad) ctx.addIssue({ code: "custom", path, message, input: undefined });
};

/** One application stack (dev, prod): its resource group, registry, identities and governance. */
const environmentShape = section({
  /** The stack's container registry, created here so that CI can push the images before the stack's first `pulumi up`. */
  acr: section({ sku: oneOf(["Basic", "Standard", "Premium"]), zoneRedundant: boolean() }).superRefine((v, ctx) => {
    check(ctx, v.zoneRedundant && v.sku !== "Premium", ["zoneRedundant"], `expected false unless sku is Premium (got ${v.sku})`);
  }),
  /**
   * Effect of the Pod Security restricted initiative on the stack's clusters. Deny only once Azure Policy's
   * compliance report is clean (the Dapr control plane, monitoring and system namespaces are excluded).
   */
  podSecurityEffect: oneOf(["Audit", "Deny"]),
  /** Entra object ids of the people (or groups) who administer the cluster and Postgres: at least one. */
  adminGroupMembers: z
    .array(uuid(), { error: "expected a list of Entra object ids" })
    .min(1, { error: "expected at least one Entra object id" }),
  /**
   * The GitHub environment whose jobs deploy this stack (prod: `production`, with required reviewers and
   * deployments limited to `v*` tags); unset: the deploy jobs of the main branch.
   */
  githubEnvironment: pattern(/^[A-Za-z0-9_.-]+$/, "a GitHub environment name such as production").optional(),
  /** Same-repository pull requests preview this stack with its read-only identity (never with the deployer). */
  previewFromPullRequests: boolean(),
});

export const bootstrapShape = {
  /** Team that owns the stacks: the `owner` tag. */
  owner: nonEmptyString("a non-empty team name"),
  costCenter: nonEmptyString("a non-empty cost center code"),
  /** owner/name of the GitHub repository whose workflows deploy and preview. */
  githubRepository: pattern(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'a GitHub repository "owner/name"'),
  /** The Azure DNS zone of the stacks' public hosts; its registrar must delegate it to the zone's name servers. */
  dnsZone: dnsName("example.com"),
  /**
   * CIDRs allowed through the state storage account's and key vault's firewalls and the Premium registries':
   * the runners' and operators' egress.
   */
  allowedIpRanges: cidrList(1),
  environments: section({ dev: environmentShape, prod: environmentShape }),
};

export type BootstrapConfig = z.infer<z.ZodObject<typeof bootstrapShape>> & { readonly location: string };
export type EnvironmentConfig = BootstrapConfig["environments"]["dev"];

const providerShape = { location: pattern(/^[a-z0-9]+$/, "an Azure region such as westeurope") };

/** Reads and validates the bootstrap config; throws one StackConfigError naming every bad key. */
export function loadBootstrapConfig(): BootstrapConfig {
  const project = validateConfig(bootstrapShape, { rejectExampleValues: true });
  const provider = validateConfig(providerShape, { namespace: "azure-native", allowUnknownKeys: true });
  throwIfInvalid(project, provider);
  if (!project.ok || !provider.ok) throw new Error("unreachable: invalid config passed validation");
  return { ...project.value, location: provider.value.location };
}
