/** HS256 tokens for tests. */
import { SignJWT } from "jose";

export const testJwtKey = "test-only-hs256-key-with-at-least-32-bytes!!";

export async function signTestToken(
  sub: string,
  opts: { key?: string; expiresIn?: string; issuer?: string; audience?: string } = {},
): Promise<string> {
  let jwt = new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? "1h");
  if (opts.issuer) jwt = jwt.setIssuer(opts.issuer);
  if (opts.audience) jwt = jwt.setAudience(opts.audience);
  return jwt.sign(new TextEncoder().encode(opts.key ?? testJwtKey));
}
