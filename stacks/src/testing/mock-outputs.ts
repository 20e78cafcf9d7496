import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/index.js";

/**
 * Outputs a real provider would compute, synthesised for mocked runs. Keyed by type token; each
 * entry returns extra state merged over the inputs. Add an entry when a program reads an output
 * that is not an input.
 */
type StateFn = (args: MockResourceArgs) => Record<string, unknown>;

const fakeUuid = (seed: string): string => {
  let h = 0;
  for (const c of seed) h = (Math.imul(h, 31) + c.charCodeAt(0)) >>> 0;
  const hex = (h.toString(16).padStart(8, "0") + "0".repeat(24)).slice(0, 32);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
};

export const mockResourceState: Record<string, StateFn> = {};

export const mockCallResults: Record<string, (args: MockCallArgs) => Record<string, unknown>> = {
  "azure-native:authorization:getClientConfig": () => ({
    clientId: fakeUuid("client"),
    objectId: fakeUuid("object"),
    subscriptionId: fakeUuid("subscription"),
    tenantId: fakeUuid("tenant"),
  }),
};

export { fakeUuid };
