import type { MockedRun } from "@tasks/stacks/offline/mocked-run";
import { evaluatePolicies } from "@tasks/policies/evaluate/run";
import { formatPolicySummary } from "@tasks/policies/evaluate/report";

/**
 * Extra sections of the offline plan, printed after the outputs (and under `sections` in --json).
 * The seam for other reports on the same mocked run.
 */
export interface PlanSection {
  readonly title: string;
  lines(run: MockedRun): string[] | Promise<string[]>;
}

export const planSections: PlanSection[] = [
  {
    title: "Policy pack (details: npm run policy -- --stack <stack>)",
    lines: async (run) => formatPolicySummary(await evaluatePolicies(run)),
  },
];
