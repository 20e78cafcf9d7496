import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTokenVerifier } from "@tasks/shared/auth";
import { mintToken } from "../src/mint-token.js";

const key = "a-development-signing-key-of-at-least-32-bytes";

describe("mintToken", () => {
  it("makes a token the services' verifier accepts, for the given user", async () => {
    const token = await mintToken(key, { sub: "smoke-test", ttlSeconds: 60, issuer: "tasks", audience: "tasks-api" });
    const ctx = await createTokenVerifier({ hs256Key: key, issuer: "tasks", audience: "tasks-api" })(token);
    assert.equal(ctx.userId, "smoke-test");
    assert.equal((ctx.claims.exp as number) - (ctx.claims.iat as number), 60);
  });

  it("is rejected when signed with another key", async () => {
    const token = await mintToken(key, { sub: "u", ttlSeconds: 60 });
    await assert.rejects(createTokenVerifier({ hs256Key: `${key}-other` })(token));
  });

  it("refuses a key shorter than 32 bytes", async () => {
    await assert.rejects(mintToken("short", { sub: "u", ttlSeconds: 60 }), {
      message: "mint-token: the HS256 key on stdin must be at least 32 bytes",
    });
  });
});
