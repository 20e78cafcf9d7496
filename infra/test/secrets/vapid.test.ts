import assert from "node:assert/strict";
import { createECDH } from "node:crypto";
import { describe, it } from "node:test";
import * as local from "../../src/local/index.js";
import { vapidKeysFrom } from "../../src/secrets/vapid.js";

describe("VAPID keys", () => {
  it("derives a valid P-256 VAPID key pair from 32 random bytes", () => {
    const seed = Buffer.alloc(32, 7).toString("base64");
    const keys = vapidKeysFrom(seed);
    const pub = Buffer.from(keys.publicKey, "base64url");
    assert.equal(pub.length, 65);
    assert.equal(pub[0], 0x04);
    assert.equal(Buffer.from(keys.privateKey, "base64url").length, 32);
    const check = createECDH("prime256v1");
    check.setPrivateKey(Buffer.from(keys.privateKey, "base64url"));
    assert.equal(check.getPublicKey().toString("base64url"), keys.publicKey);
    assert.deepEqual(vapidKeysFrom(seed), keys);
  });

  it("lives in the neutral secrets module, not in the local stack's", () => {
    assert.equal("vapidKeysFrom" in local, false);
  });
});
