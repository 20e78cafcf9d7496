/**
 * A public route of a service (createServiceApp + loadAuthConfig, as every service builds them) against
 * the real local OpenID Provider: sign-in by code + PKCE, key rotation without restart, the refusal
 * matrix (each refused with a 401 problem+json that says nothing about why), CORS preflights and the
 * per-user limit.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { startLocalIdp, type LocalIdp } from "@tasks/local-idp";
import { authEnvSchema, authOf, createLogger, createRegistry, createServiceApp, loadAuthConfig, type AuthConfig } from "@tasks/shared";
import { request, testAppToken } from "@tasks/shared/testing";
import { signIn } from "../src/oidc-sign-in.js";

const redirectUri = "http://127.0.0.1:5173/callback";
const audience = "api://tasks-platform";
const origin = "https://tasks.example.com";

function serviceApp(auth: AuthConfig) {
  return createServiceApp({
    logger: createLogger({ service: "t", level: "silent" }),
    registry: createRegistry("t"),
    readiness: {},
    daprAppToken: testAppToken,
    publicRoutes: { paths: ["/api/v1/things"], auth },
    routes: (a) => a.get("/api/v1/things", (req, res) => void res.json({ userId: authOf(req).userId, email: authOf(req).email })),
  }).app;
}

const b64 = (v: unknown): string => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64url");

describe("a public route against the real OpenID Provider", () => {
  let idp: LocalIdp;
  let auth: AuthConfig;
  let app: ReturnType<typeof serviceApp>;
  const tokenFor = async (user: string) =>
    (
      await signIn({
        issuer: idp.issuer,
        clientId: idp.clientId,
        redirectUri,
        username: user,
        password: idp.users.get(user)!.password,
        resource: audience,
        scope: "openid email tasks",
      })
    ).accessToken;

  before(async () => {
    idp = await startLocalIdp({
      audience,
      redirectUris: [redirectUri],
      users: [
        { username: "alice", password: "alice-password", email: "alice@example.test" },
        { username: "bob", password: "bob-password-1", email: "bob@example.test" },
      ],
    });
    // Exactly what a deployed service reads from its environment (the stacks' identity env).
    auth = {
      ...loadAuthConfig(
        authEnvSchema.parse({
          JWT_JWKS_URL: idp.jwksUrl,
          JWT_ISSUER: idp.issuer,
          JWT_AUDIENCE: audience,
          JWT_CLOCK_SKEW_SECONDS: "30",
          CORS_ALLOWED_ORIGINS: origin,
          RATE_LIMIT_PER_MINUTE: "1000",
        }),
      ),
      jwksCooldownSeconds: 1,
    };
    app = serviceApp(auth);
  });
  after(() => idp.stop());

  it("accepts a token from sign-in by code + PKCE: the user is the token's sub, with its email", async () => {
    const res = await request(app, { url: "/api/v1/things", token: await tokenFor("alice") });
    assert.deepEqual([res.status, res.body], [200, { userId: "alice", email: "alice@example.test" }]);
  });

  it("accepts tokens signed with a new key after rotation, without a restart", async () => {
    const before = await tokenFor("bob");
    assert.equal((await request(app, { url: "/api/v1/things", token: before })).status, 200);
    const kid = await idp.rotateKeys();
    await new Promise((r) => setTimeout(r, 1100)); // the JWKS cooldown of this test (30 s in the services)
    const after = await tokenFor("bob");
    assert.equal(JSON.parse(Buffer.from(after.split(".")[0]!, "base64url").toString()).kid, kid);
    assert.deepEqual((await request(app, { url: "/api/v1/things", token: after })).body, { userId: "bob", email: "bob@example.test" });
    assert.equal((await request(app, { url: "/api/v1/things", token: before })).status, 200, "the old key is still published");
  });

  it("refuses wrong audience, wrong issuer, expired, not-yet-valid, alg none, HS256 with the public key, and a token in the URL", async () => {
    const good = await tokenFor("alice");
    const now = Math.floor(Date.now() / 1000);
    const claims = { sub: "alice", iss: idp.issuer, aud: audience, iat: now, exp: now + 300 };
    const jwks = (await (await fetch(idp.jwksUrl)).json()) as { keys: { kid: string; n: string; e: string }[] };
    const pub = jwks.keys[0]!;
    // The classic key-confusion forgery: the provider's public key (as its JWK JSON and as PEM-ish text) used as an HMAC secret.
    const hs256With = (secret: string) => {
      const head = b64({ alg: "HS256", kid: pub.kid, typ: "JWT" });
      const body = b64(claims);
      return `${head}.${body}.${createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url")}`;
    };
    const cases: [string, Promise<{ status: number; body: unknown; headers: Record<string, unknown> }>][] = [
      ["wrong audience", request(serviceApp({ ...auth, audience: "api://another-api" }), { url: "/api/v1/things", token: good })],
      ["wrong issuer", request(serviceApp({ ...auth, issuer: "https://login.example.com/" }), { url: "/api/v1/things", token: good })],
      [
        "expired",
        idp.signForTest({ ...claims, iat: now - 600, exp: now - 120 }).then((t) => request(app, { url: "/api/v1/things", token: t })),
      ],
      ["not yet valid", idp.signForTest({ ...claims, nbf: now + 120 }).then((t) => request(app, { url: "/api/v1/things", token: t }))],
      ["alg none", request(app, { url: "/api/v1/things", token: `${b64({ alg: "none", typ: "JWT" })}.${b64(claims)}.` })],
      ["HS256 with the public JWK", request(app, { url: "/api/v1/things", token: hs256With(JSON.stringify(pub)) })],
      ["HS256 with the modulus", request(app, { url: "/api/v1/things", token: hs256With(pub.n) })],
      ["token in the URL query", request(app, { url: `/api/v1/things?access_token=${good}` })],
      ["token in the URL query, header too", request(app, { url: `/api/v1/things?token=${good}`, token: good })],
    ];
    const statuses: Record<string, number> = {};
    for (const [name, pending] of cases) {
      const res = await pending;
      statuses[name] = res.status;
      assert.match(String(res.headers["content-type"]), /^application\/problem\+json/, name);
      const body = res.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ["correlationId", "detail", "instance", "status", "title", "type"], name);
      assert.equal(body.detail, "The bearer token is invalid or expired.", name);
      // The same words for every case: nothing tells a caller which check failed; the token is never echoed.
      assert.ok(!JSON.stringify(body).includes(good.split(".")[1]!), name);
    }
    assert.deepEqual(statuses, Object.fromEntries(cases.map(([name]) => [name, 401])));
  });

  it("answers a CORS preflight from the configured origin before authentication, and refuses another origin", async () => {
    const preflight = (from: string) =>
      request(app, {
        method: "OPTIONS",
        url: "/api/v1/things",
        headers: { origin: from, "access-control-request-method": "POST", "access-control-request-headers": "authorization,content-type" },
      });
    const ok = await preflight(origin);
    assert.equal(ok.status, 204);
    assert.equal(ok.headers["access-control-allow-origin"], origin);
    assert.match(String(ok.headers["access-control-allow-headers"]), /Authorization/);
    assert.match(String(ok.headers["access-control-allow-methods"]), /POST/);
    const refused = await preflight("https://evil.example");
    assert.equal(refused.status, 403);
    assert.equal(refused.headers["access-control-allow-origin"], undefined);
    const simple = await request(app, { url: "/api/v1/things", token: await tokenFor("alice"), headers: { origin } });
    assert.deepEqual([simple.status, simple.headers["access-control-allow-origin"], simple.headers.vary], [200, origin, "Origin"]);
  });

  it("limits each user separately: past the limit 429 with Retry-After, another user unaffected", async () => {
    const limited = serviceApp({ ...auth, requestsPerMinute: 3 });
    const [alice, bob] = [await tokenFor("alice"), await tokenFor("bob")];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(limited, { url: "/api/v1/things", token: alice })).status);
    const last = await request(limited, { url: "/api/v1/things", token: alice });
    assert.deepEqual([...statuses, last.status], [200, 200, 200, 429, 429]);
    const retry = Number(last.headers["retry-after"]);
    assert.ok(retry >= 1 && retry <= 60, `Retry-After ${String(last.headers["retry-after"])}`);
    assert.match(String(last.headers["content-type"]), /^application\/problem\+json/);
    assert.equal((await request(limited, { url: "/api/v1/things", token: bob })).status, 200);
  });
});
