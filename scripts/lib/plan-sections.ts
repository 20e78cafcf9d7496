import type { MockedRun } from "../../stacks/src/testing/mocked-run.js";
import { evaluatePolicies } from "./policy-evaluate.js";
import { formatPolicySummary } from "./policy-report.js";

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
