import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startLocalIdp, type LocalIdp } from "@tasks/local-idp";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { signIn } from "../src/oidc-sign-in.js";

const redirectUri = "http://127.0.0.1:5173/callback";

describe("signing in to the local OpenID Provider by code + PKCE", () => {
  let idp: LocalIdp;
  before(async () => {
    idp = await startLocalIdp({
      audience: "api://tasks-platform",
      redirectUris: [redirectUri],
      users: [{ username: "alice", password: "alice-password", email: "alice@example.test" }],
    });
  });
  after(() => idp.stop());

  const login = (username = "alice", password = "alice-password") =>
    signIn({
      issuer: idp.issuer,
      clientId: idp.clientId,
      redirectUri,
      username,
      password,
      resource: idp.audience,
      scope: "openid email tasks",
    });

  it("issues an RS256 access token for the API with the user's sub and email, verifiable against the JWKS", async () => {
    const { accessToken, idToken } = await login();
    const { payload, protectedHeader } = await jwtVerify(accessToken, createRemoteJWKSet(new URL(idp.jwksUrl)), {
      issuer: idp.issuer,
      audience: "api://tasks-platform",
      algorithms: ["RS256"],
    });
    assert.equal(protectedHeader.alg, "RS256");
    assert.equal(protectedHeader.kid, idp.kids()[0]);
    assert.deepEqual([payload.sub, payload.email, payload.scope], ["alice", "alice@example.test", "tasks"]);
    assert.ok(typeof payload.exp === "number" && payload.exp - payload.iat! <= 600);
    assert.ok(idToken);
  });

  it("refuses a wrong password and an unknown user at its login form", async () => {
    await assert.rejects(login("alice", "not-her-password"), { message: "sign-in: the provider refused the password of alice" });
    await assert.rejects(login("mallory", "whatever-password"), { message: "sign-in: the provider refused the password of mallory" });
  });

  it("refuses a code redeemed without the PKCE verifier", async () => {
    const meta = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    assert.deepEqual(meta.code_challenge_methods_supported, ["S256"]);
    const auth = new URL(String(meta.authorization_endpoint));
    for (const [k, v] of Object.entries({ response_type: "code", client_id: idp.clientId, redirect_uri: redirectUri, scope: "openid" })) {
      auth.searchParams.set(k, v);
    }
    const res = await fetch(auth, { redirect: "manual" });
    const location = new URL(String(res.headers.get("location")), auth);
    assert.equal(location.searchParams.get("error"), "invalid_request");
    assert.match(String(location.searchParams.get("error_description")), /requires PKCE/);
  });

  it("signs with a new key after rotation and still publishes the old one", async () => {
    const before = (await login()).accessToken;
    const kid = await idp.rotateKeys();
    const afterRotation = (await login()).accessToken;
    assert.equal(decodeProtectedHeader(afterRotation).kid, kid);
    assert.notEqual(decodeProtectedHeader(before).kid, kid);
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: { kid: string; d?: string }[] };
    assert.deepEqual(
      jwks.keys.map((k) => k.kid),
      idp.kids(),
    );
    assert.ok(
      jwks.keys.every((k) => k.d === undefined),
      "no private key material in the JWKS",
    );
  });
});
