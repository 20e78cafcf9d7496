import type { PolicyResource, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** The environments this platform deploys; `unknown` when a stack cannot be mapped to one. */
export type Environment = "dev" | "prod" | "local" | "unknown";

/** Stack tag that overrides the environment derived from the stack name (`pulumi stack tag set environment prod`). */
export const environmentStackTag = "environment";

const known: Readonly<Record<string, Environment>> = {
  dev: "dev",
  development: "dev",
  prod: "prod",
  production: "prod",
  local: "local",
  // The bootstrap stack holds production's identities, registry and every stack's state: production rules.
  bootstrap: "prod",
};

/** Parts of a URN: `urn:pulumi:<stack>::<project>::<parent types $ type>::<name>`. */
export interface ParsedUrn {
  readonly stack: string;
  readonly project: string;
  /** The resource's type preceded by its ancestors' types. */
  readonly typeChain: readonly string[];
  readonly name: string;
}

export function parseUrn(urn: string): ParsedUrn | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const parts = urn.slice("urn:pulumi:".length).split("::");
  if (parts.length < 4) return undefined;
  const [stack, project, types] = parts as [string, string, string];
  return { stack, project, typeChain: types.split("$"), name: parts.slice(3).join("::") };
}

/** Stacks whose resources belong to several environments, each tagged with its own. */
const spansEnvironments = new Set(["bootstrap"]);

export function environmentFromName(name: string | undefined): Environment {
  return (name && known[name.toLowerCase()]) || "unknown";
}

function fromTag(stackTags: ReadonlyMap<string, string>): Environment | undefined {
  const tagged = stackTags.get(environmentStackTag);
  return tagged === undefined ? undefined : environmentFromName(tagged);
}

/**
 * The environment a resource serves: its own `environment` tag where it carries a known one (the bootstrap
 * stack creates resources for dev and prod), else the `environment` stack tag, else the stack name in the URN.
 */
export function resourceEnvironment(args: Pick<ResourceValidationArgs, "stackTags" | "urn"> & { readonly props?: unknown }): Environment {
  const stack = parseUrn(args.urn)?.stack;
  // The bootstrap stack manages every environment's identities and registry: there a resource's own
  // environment tag says whose it is. Elsewhere the stack decides (a wrong tag is required-tags' finding).
  if (stack !== undefined && spansEnvironments.has(stack.toLowerCase())) {
    const own = (args.props as { tags?: Record<string, unknown> } | undefined)?.tags?.environment;
    const tagged = typeof own === "string" ? environmentFromName(own) : "unknown";
    if (tagged !== "unknown") return tagged;
  }
  return fromTag(args.stackTags) ?? environmentFromName(stack);
}

/** The environment of a stack under validation: the `environment` stack tag, else the stack name in any URN. */
export function stackEnvironment(
  args: Pick<StackValidationArgs, "stackTags"> & { readonly resources: readonly Pick<PolicyResource, "urn">[] },
): Environment {
  const tagged = fromTag(args.stackTags);
  if (tagged) return tagged;
  const first = args.resources.find((r) => parseUrn(r.urn));
  return environmentFromName(first ? parseUrn(first.urn)?.stack : undefined);
}

/**
 * Production rules apply to prod and, fail-safe, to any stack whose environment is unknown: a new
 * stack gets the strictest treatment until it is tagged `environment=dev|local`.
 */
export const isProductionLike = (env: Environment): boolean => env === "prod" || env === "unknown";

/** dev, prod and unknown stacks run on Azure with real traffic; only `local` is a developer cluster. */
export const isSharedEnvironment = (env: Environment): boolean => env !== "local";
