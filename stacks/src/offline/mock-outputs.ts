import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/index.js";
import { azureMockCalls, azureMockState } from "./mock-outputs-azure.js";
import { kubernetesMockCalls, kubernetesMockState } from "./mock-outputs-kubernetes.js";

/**
 * Outputs a real provider would compute, synthesised for mocked runs, keyed by type token. Each
 * entry returns state merged over the inputs. Add an entry when a program reads an output that is
 * not an input.
 */
export type MockStateFn = (args: MockResourceArgs) => Record<string, unknown>;
export type MockCallFn = (args: MockCallArgs) => Record<string, unknown>;

export const mockResourceState: Record<string, MockStateFn> = { ...azureMockState, ...kubernetesMockState };
export const mockCallResults: Record<string, MockCallFn> = { ...azureMockCalls, ...kubernetesMockCalls };

/** A stable UUID-shaped value derived from a seed, for ids and client ids in mocked runs. */
export function fakeUuid(seed: string): string {
  let h = 0x811c9dc5;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const hex = Array.from({ length: 4 }, (_, i) => (h = Math.imul(h ^ (i + 1), 2654435761) >>> 0).toString(16).padStart(8, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
