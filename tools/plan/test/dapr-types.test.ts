import assert from "node:assert/strict";
import { test } from "node:test";
import { generatedTypes } from "@tasks/policies/generate/dapr-metadata";
import { daprComponentTypesInUse } from "../src/dapr-types.js";

test("the generated Dapr metadata schema covers exactly the component types the project creates (npm run policy -- --write-dapr-metadata)", () => {
  const inUse = daprComponentTypesInUse();
  assert.deepEqual(inUse, [
    "bindings.cron@v1",
    "pubsub.kafka@v1",
    "secretstores.azure.keyvault@v1",
    "secretstores.kubernetes@v1",
    "secretstores.local.file@v1",
    "state.postgresql@v1",
  ]);
  assert.deepEqual(generatedTypes(), inUse);
});
