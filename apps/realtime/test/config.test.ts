import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { daprComponents } from "@tasks/catalog";
import { loadEnv } from "@tasks/shared";
import { envSchema } from "../src/config.js";

describe("realtime config", () => {
  it("uses the broadcast pub/sub component, so every pod gets every task event", () => {
    assert.equal(loadEnv(envSchema, {}).DAPR_PUBSUB_NAME, daprComponents.pubsubBroadcast);
    assert.equal(loadEnv(envSchema, {}).DAPR_STATE_STORE, daprComponents.stateStore);
  });
});
