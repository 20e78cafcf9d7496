import type { MockCallFn, MockStateFn } from "./mock-outputs.js";

/** Mocked outputs of Kubernetes, Helm and Kafka resources. */
export const kubernetesMockState: Record<string, MockStateFn> = {};

export const kubernetesMockCalls: Record<string, MockCallFn> = {};
