import { parseUrn } from "../lib/environment.js";
import { stackPolicy, source } from "../lib/metadata.js";
import { entryProblems, loadSuppressions, registeredPolicies, today } from "../lib/suppressions.js";

export const suppressionValid = stackPolicy({
  name: "suppression-valid",
  description:
    "Every suppression in the stack's file (policies/suppressions/<stack>.yaml) names a policy of the pack that may be suppressed, a URN pattern, a reason and an owner, and has not expired; none runs longer than a year.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [source("project", "suppressions", "Exceptions to the policy pack carry a reason, an owner and an end date")],
  url: "https://github.com/example-org/tasks-platform/blob/main/policies/README.md#suppressions",
  remediationSteps:
    "Fix the resource and delete the suppression, or have it reviewed again and set a new expiry (at most a year ahead), reason and owner.",
  tags: ["governance", "suppressions"],
  validateStack: (args, report) => {
    const stack = args.resources.map((r) => parseUrn(r.urn)?.stack).find((s) => s !== undefined);
    if (!stack) return args.notApplicable("no resource names the stack");
    const file = loadSuppressions(stack);
    for (const p of file.problems) report(p);
    const on = today();
    file.entries.forEach((e, i) => {
      const label = `${file.file} entry ${i + 1} (${e.policy || "?"} on ${e.resource || "?"})`;
      for (const problem of entryProblems(e, registeredPolicies(), on)) report(`${label} ${problem}.`);
    });
  },
});
