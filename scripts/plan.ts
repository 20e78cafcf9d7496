/** `npm run plan -- --stack dev|prod|local [--json] [--render <dir>] [--set k=v]...`: the offline plan (@tasks/plan). */
import { runPlanCli } from "@tasks/plan/plan-cli";

await runPlanCli();
