import type { RecordedResource } from "../../stacks/src/testing/mocked-run.js";

/**
 * Writes every Kubernetes object a stack creates directly (not those inside Helm charts) as YAML
 * files under `dir`; returns how many were written.
 * PLACEHOLDER until the Kubernetes layer lands (issue 3).
 */
export async function renderManifests(_resources: readonly RecordedResource[], _dir: string): Promise<number> {
  throw new Error("renderManifests is not implemented yet (Kubernetes layer, issue 3)");
}
