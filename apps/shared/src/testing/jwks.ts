/**
 * A stand-in identity provider for booting a service's main.ts in tests: an RS256 key published at a
 * local JWKS URL, the env a public service needs to trust it, and tokens signed with it. Tests against
 * the real OpenID Provider (code + PKCE) live in tools/dev-platform and the integration tier.
 */
import { once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

export interface TestJwks {
  readonly url: string;
  /** JWT_JWKS_URL, JWT_ISSUER and JWT_AUDIENCE for this provider. */
  readonly env: Readonly<Record<string, string>>;
  sign(sub: string, claims?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export const testIssuer = "https://issuer.test";
export const testAudience = "api://tasks-test";

export async function startTestJwks(): Promise<TestJwks> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  const server = http.createServer((_req, res) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] })),
  );
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`;
  return {
    url,
    env: { JWT_JWKS_URL: url, JWT_ISSUER: testIssuer, JWT_AUDIENCE: testAudience },
    sign: (sub, claims = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setSubject(sub)
        .setIssuer(testIssuer)
        .setAudience(testAudience)
        .setIssuedAt()
        .setExpirationTime("10m")
        .sign(privateKey),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
