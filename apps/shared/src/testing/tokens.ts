/** HS256 tokens and the Dapr app token for tests. */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SignJWT } from "jose";

export const testJwtKey = "test-only-hs256-key-with-at-least-32-bytes!!";

export async function signTestToken(
  sub: string,
  opts: { key?: string; expiresIn?: string; issuer?: string; audience?: string; claims?: Record<string, unknown> } = {},
): Promise<string> {
  let jwt = new SignJWT(opts.claims ?? {})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "1h");
  if (opts.issuer) jwt = jwt.setIssuer(opts.issuer);
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(new TextEncoder().encode(opts.key ?? testJwtKey));
}

/** Dapr's app API token in tests: what the sidecar would send as `dapr-api-token`. */
export const testAppToken = "test-only-dapr-app-token-of-at-least-32-characters";

/** Headers of a request that comes from the Dapr sidecar (a delivery, a job, an invocation). */
export const daprHeaders: Readonly<Record<string, string>> = { "dapr-api-token": testAppToken };

/** Dapr's API token in tests: what the app must send to its (fake) sidecar. */
export const testApiToken = "test-only-dapr-api-token-of-at-least-32-characters";

/** Writes `token` (default `testAppToken`) to a private file, as a mounted Secret would be, for booting a main.ts; returns its path. */
export function writeTestAppTokenFile(token: string = testAppToken): string {
  const dir = mkdtempSync(path.join(tmpdir(), "dapr-token-"));
  const file = path.join(dir, "token");
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return file;
}
