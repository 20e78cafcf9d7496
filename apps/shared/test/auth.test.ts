import assert from "node:assert/strict";
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { createServiceApp } from "../src/app.js";
import { authenticate, userIdOf, type AuthConfig } from "../src/auth.js";
import { createLogger } from "../src/logging.js";
import { createRegistry } from "../src/metrics.js";
import { request } from "../src/testing/inject.js";
import { signTestToken, testAppToken, testJwtKey } from "../src/testing/tokens.js";

function appWith(config: AuthConfig) {
  const { app } = createServiceApp({
    logger: createLogger({ service: "t", level: "silent" }),
    registry: createRegistry("t"),
    readiness: {},
    daprAppToken: testAppToken,
    openPaths: ["/me"],
    routes: (a) => a.get("/me", authenticate(config), (req, res) => void res.json({ userId: userIdOf(req) })),
  });
  return app;
}

test("HS256: a valid token yields the user id from sub", async () => {
  const app = appWith({ hs256Key: testJwtKey });
  const res = await request(app, { url: "/me", token: await signTestToken("alice") });
  assert.deepEqual([res.status, res.body], [200, { userId: "alice" }]);
});

test("missing, malformed, wrongly signed, expired and sub-less tokens are 401 problem+json", async () => {
  const app = appWith({ hs256Key: testJwtKey, issuer: "https://issuer.example" });
  const cases: [string, Record<string, string>, string][] = [
    ["missing", {}, "A valid bearer token is required."],
    ["not bearer", { authorization: "Basic abc" }, "A valid bearer token is required."],
    ["garbage", { authorization: "Bearer abc.def.ghi" }, "The bearer token is invalid or expired."],
    [
      "wrong key",
      {
        authorization: `Bearer ${await signTestToken("a", { key: "another-key-that-is-32-bytes-long!!!!", issuer: "https://issuer.example" })}`,
      },
      "The bearer token is invalid or expired.",
    ],
    [
      "wrong issuer",
      { authorization: `Bearer ${await signTestToken("a", { issuer: "https://evil.example" })}` },
      "The bearer token is invalid or expired.",
    ],
    [
      "expired",
      { authorization: `Bearer ${await signTestToken("a", { expiresIn: "-1m", issuer: "https://issuer.example" })}` },
      "The bearer token is invalid or expired.",
    ],
    [
      "no sub",
      {
        authorization: `Bearer ${await new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuer("https://issuer.example").sign(new TextEncoder().encode(testJwtKey))}`,
      },
      "The bearer token is invalid or expired.",
    ],
  ];
  for (const [name, headers, detail] of cases) {
    const res = await request(app, { url: "/me", headers });
    assert.equal(res.status, 401, name);
    assert.equal(res.headers["www-authenticate"], 'Bearer realm="tasks"', name);
    assert.equal(res.json<{ detail: string }>().detail, detail, name);
  }
  assert.throws(() => appWith({ hs256Key: "short" }), /the HS256 key must be at least 32 bytes/);
});

test("JWKS: tokens signed by a key the JWKS URL serves are accepted; alg=none/HS256 are not", async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const app = appWith({
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      audience: "tasks",
      algorithms: ["ES256"],
    });
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setSubject("bob")
      .setAudience("tasks")
      .setExpirationTime("5m")
      .sign(privateKey);
    assert.deepEqual((await request(app, { url: "/me", token })).body, { userId: "bob" });
    const hs = await signTestToken("bob", { audience: "tasks" });
    assert.equal((await request(app, { url: "/me", token: hs })).status, 401);
  } finally {
    server.close();
  }
});

test("JWKS: fetched when the verifier is made, so a provider that stops answering later refuses no token", async () => {
  const { publicKey, privateKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256", use: "sig" };
  let answering = true;
  let fetches = 0;
  const server = http.createServer((_req, res) => {
    fetches++;
    // A saturated provider: the request is read but never answered (jose gives up after 5 s: ERR_JWKS_TIMEOUT).
    if (answering) res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  try {
    const app = appWith({
      jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      audience: "tasks",
      algorithms: ["ES256"],
    });
    for (let i = 0; i < 100 && fetches === 0; i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(fetches, 1, "the key set is fetched before any token arrives");
    await new Promise((r) => setTimeout(r, 50));
    answering = false;
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setSubject("bob")
      .setAudience("tasks")
      .setExpirationTime("5m")
      .sign(privateKey);
    const res = await request(app, { url: "/me", token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(fetches, 1);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test("verified tokens are cached until exp, never beyond it, and never for another token", async () => {
  const { createTokenVerifier } = await import("../src/auth.js");
  const verify = createTokenVerifier({ hs256Key: testJwtKey, cacheSize: 2, clockSkewSeconds: 0 });
  const short = await new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject("carol")
    .setExpirationTime(Math.floor(Date.now() / 1000) + 1)
    .sign(new TextEncoder().encode(testJwtKey));
  assert.equal((await verify(short)).userId, "carol");
  assert.equal((await verify(short)).userId, "carol");
  // Same payload, tampered signature: not served from the cache.
  await assert.rejects(verify(`${short.slice(0, -2)}${short.endsWith("AA") ? "BB" : "AA"}`));
  await new Promise((r) => setTimeout(r, 1100));
  await assert.rejects(verify(short), { name: "TokenRefused", message: "ERR_JWT_EXPIRED" });
});

test("a token without exp, or living longer than the maximum lifetime, is refused (issue 21)", async () => {
  const key = new TextEncoder().encode(testJwtKey);
  const sign = (claims: Record<string, unknown>, exp?: string | number) => {
    let jwt = new SignJWT(claims).setProtectedHeader({ alg: "HS256" }).setSubject("eve");
    if (exp !== undefined) jwt = jwt.setExpirationTime(exp);
    return jwt.sign(key);
  };
  const now = Math.floor(Date.now() / 1000);
  const app = appWith({ hs256Key: testJwtKey, maxLifetimeSeconds: 3600 });
  const status = async (token: string) => (await request(app, { url: "/me", token })).status;
  assert.equal(await status(await sign({ iat: now })), 401, "no exp: never expires");
  assert.equal(await status(await sign({})), 401, "no exp, no iat");
  assert.equal(await status(await sign({ iat: now }, now + 3601)), 401, "longer than the maximum");
  assert.equal(await status(await sign({ iat: now - 7200 }, now + 60)), 401, "issued 2 h before a 1 h maximum");
  // A minute of margin: the server's "now" is read later than the test's.
  assert.equal(await status(await sign({}, now + 3660)), 401, "no iat: counted from now");
  assert.equal(await status(await sign({ iat: now }, now + 3600)), 200, "exactly the maximum");
  assert.equal(await status(await sign({}, now + 600)), 200, "no iat, within the maximum from now");
  const defaults = appWith({ hs256Key: testJwtKey });
  assert.equal(
    (await request(defaults, { url: "/me", token: await sign({ iat: now }, now + 86_400) })).status,
    200,
    "default maximum is one day",
  );
  assert.equal((await request(defaults, { url: "/me", token: await sign({ iat: now }, now + 86_401) })).status, 401);
});
