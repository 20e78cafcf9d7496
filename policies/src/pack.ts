/**
 * The policy pack as the Pulumi CLI runs it (`pulumi preview --policy-pack policies`): loaded by
 * pack.cjs, which registers tsx first. Constructing PolicyPack starts the analyzer's gRPC server.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies, policyPackDescription, policyPackName } from "./index.js";

new PolicyPack(policyPackName, {
  policies,
  description: policyPackDescription,
  displayName: "tasks-platform policies",
  provider: "azure",
  tags: ["kubernetes", "azure", "dapr", "aks"],
  enforcementLevel: "advisory",
});
