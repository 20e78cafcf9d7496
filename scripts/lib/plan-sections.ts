import type { MockedRun } from "../../stacks/src/testing/mocked-run.js";

/**
 * Extra sections of the offline plan, printed after the outputs (and under `sections` in --json).
 * The seam for other reports on the same mocked run, e.g. the policy summary: append a section here.
 */
export interface PlanSection {
  readonly title: string;
  lines(run: MockedRun): string[] | Promise<string[]>;
}

export const planSections: PlanSection[] = [];
