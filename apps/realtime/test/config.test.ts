import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { daprComponents } from "@tasks/catalog";
import { loadRealtimeConfig } from "../src/config.js";

describe("realtime config", () => {
  it("uses the broadcast pub/sub component, so every pod gets every task event", () => {
    assert.equal(loadRealtimeConfig({}).DAPR_PUBSUB_NAME, daprComponents.pubsubBroadcast);
    assert.equal(loadRealtimeConfig({}).DAPR_STATE_STORE, daprComponents.stateStore);
  });
});
