/**
 * The policy pack as the Pulumi CLI runs it (`pulumi preview --policy-pack policies`): loaded by
 * pack.cjs, which registers tsx first. Constructing PolicyPack starts the analyzer's gRPC server.
 * Each policy runs behind the stack's suppressions (policies/suppressions/<stack>.yaml), as in the
 * offline runner: no `--policy-pack-config` is needed for them.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies, policyPackDescription, policyPackName } from "./index.js";
import { withSuppressions } from "./lib/suppressions.js";

new PolicyPack(policyPackName, {
  policies: policies.map((p) => withSuppressions(p)),
  description: policyPackDescription,
  displayName: "tasks-platform policies",
  provider: "azure",
  tags: ["kubernetes", "azure", "dapr", "aks"],
  enforcementLevel: "advisory",
});
