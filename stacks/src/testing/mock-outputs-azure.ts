import type { MockCallFn, MockStateFn } from "./mock-outputs.js";
import { fakeUuid } from "./mock-outputs.js";

/** Mocked outputs of azure-native and azuread resources and invokes. */
export const azureMockState: Record<string, MockStateFn> = {};

export const azureMockCalls: Record<string, MockCallFn> = {
  "azure-native:authorization:getClientConfig": () => ({
    clientId: fakeUuid("client"),
    objectId: fakeUuid("object"),
    subscriptionId: fakeUuid("subscription"),
    tenantId: fakeUuid("tenant"),
  }),
};
