import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { jwtKeyFromState } from "../lib/jwt-key-from-state.js";

const pw = (urn: string, result: unknown) => ({ urn, type: "random:index/randomPassword:RandomPassword", outputs: { result, length: 64 } });
const state = (...resources: unknown[]) => ({ version: 3, deployment: { resources } });
const urn = (name: string) => `urn:pulumi:dev::tasks-platform::random:index/randomPassword:RandomPassword::${name}`;

describe("jwtKeyFromState", () => {
  it("reads the key whether the export shows secrets as plain values or as plaintext envelopes", () => {
    assert.equal(
      jwtKeyFromState(state(pw(urn("tasks-dev-postgres-admin"), "other"), pw(urn("tasks-dev-jwt-signing-key"), "k".repeat(64)))),
      "k".repeat(64),
    );
    const envelope = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", plaintext: JSON.stringify("s".repeat(64)) };
    assert.equal(jwtKeyFromState(state(pw(urn("tasks-dev-jwt-signing-key"), envelope))), "s".repeat(64));
  });

  it("fails with a message when the key is missing, ambiguous or still encrypted", () => {
    assert.throws(() => jwtKeyFromState({}), { message: "expected `pulumi stack export` JSON with deployment.resources" });
    assert.throws(() => jwtKeyFromState(state()), {
      message: "expected one random:index/randomPassword:RandomPassword named *jwt-signing-key in the state, found 0",
    });
    const encrypted = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", ciphertext: "v1:abc" };
    assert.throws(() => jwtKeyFromState(state(pw(urn("tasks-dev-jwt-signing-key"), encrypted))), {
      message: "the signing key is encrypted in this export: run pulumi stack export with --show-secrets",
    });
  });
});
