/** `npm run plan:diff -- --stack <dev|prod|local> --base <git-ref> [options]`: the offline plan diff (@tasks/plan). */
import { runPlanDiffCli } from "@tasks/plan/plan-diff-cli";

await runPlanDiffCli();
