/**
 * The policies of the tasks-platform pack, without constructing the pack: `new PolicyPack(...)`
 * starts the gRPC analyzer, so tests and the offline runner import this module and src/pack.ts is
 * the entry the Pulumi CLI loads.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { azurePolicies } from "./azure/index.js";
import { daprPolicies } from "./dapr/index.js";
import { kubernetesPolicies } from "./kubernetes/index.js";
import { networkPolicies } from "./network/index.js";
import { registerPolicies } from "./lib/suppressions.js";
import { suppressionPolicies } from "./suppression/index.js";

export type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

export const policyPackName = "tasks-platform";

export const policyPackDescription =
  "Security, availability and consistency controls for the tasks platform on AKS and minikube: Pod Security Standards, CIS AKS, Checkov and AKS baseline items, Dapr and Azure service settings.";

/** Every policy of the pack, grouped by area. */
export const policyGroups: Readonly<Record<"kubernetes" | "network" | "dapr" | "azure" | "suppression", readonly AnyPolicy[]>> = {
  kubernetes: kubernetesPolicies,
  network: networkPolicies,
  dapr: daprPolicies,
  azure: azurePolicies,
  suppression: suppressionPolicies,
};

export const policies: AnyPolicy[] = Object.values(policyGroups).flat();
registerPolicies(policies);

export const isStackPolicy = (p: AnyPolicy): p is StackValidationPolicy => "validateStack" in p;

export { environmentFromName, parseUrn, resourceEnvironment, stackEnvironment, type Environment } from "./lib/environment.js";
export { sourcesOf, catalogues, type SourceKind } from "./lib/metadata.js";
