/** `npm run policy -- --stack dev|prod|local [--all] [--json] ...`: the offline policy run (@tasks/plan). */
import { runPolicyCli } from "@tasks/plan/policy-cli";

await runPolicyCli();
