/**
 * What a mocked provider hands back, composed in one place for both consumers: the unit-test mocks
 * (`pulumi.runtime.setMocks`, offline/mocked-run.ts) and the mock provider servers the real engine
 * talks to (tools/engine). Both read the same output tables (offline/mock-outputs*.ts).
 */
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/index.js";
import { fakeUuid, mockCallResults, mockResourceState } from "./mock-outputs.js";

type Props = Record<string, unknown>;

/** The outputs a provider computes that are not inputs (the table's entry for the type, if any). */
export function mockComputedOutputs(args: MockResourceArgs): Props {
  return mockResourceState[args.type]?.(args) ?? {};
}

/** A resource's state after create: `name`, then the inputs, then what the provider computed. */
export function mockResourceOutputs(args: MockResourceArgs): Props {
  return { name: args.name, ...(args.inputs as Props), ...mockComputedOutputs(args) };
}

/** The id a mocked provider gives a created resource. */
export const mockResourceId = (name: string): string => `${name}-id`;

/** An invoke's result: the table's entry for the token, else a stable id. */
export function mockInvoke(args: MockCallArgs): Props {
  const fn = mockCallResults[args.token];
  return fn ? fn(args) : { id: fakeUuid(args.token) };
}

/** True when the token has an entry in the invoke table. */
export const hasMockInvoke = (token: string): boolean => token in mockCallResults;
