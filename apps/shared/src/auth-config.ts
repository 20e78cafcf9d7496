/**
 * The one place a service's authentication settings are read: the `JWT_*` environment (never secret)
 * and, without a JWKS URL, the HS256 key from the Dapr secret store. Extend `authEnvSchema` and
 * `loadAuthConfig` (and AuthConfig in auth.ts) to add settings; every service with public routes
 * gets them through `loadServiceConfig`.
 */
import { secretNames } from "@tasks/catalog";
import { z } from "zod";
import { defaultMaxTokenLifetimeSeconds, type AuthConfig } from "./auth.js";

/** Reads one secret from the service's Dapr secret store. */
export type SecretReader = (name: string) => Promise<string>;

/** The authentication settings in every service's environment. */
export const authEnvSchema = z.object({
  /** When set, tokens are verified against this JWKS instead of the HS256 key from the secret store. */
  JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  JWT_ISSUER: z.string().optional(),
  JWT_AUDIENCE: z.string().optional(),
  /** Longest bearer-token lifetime accepted (exp minus iat); tokens without exp are always refused. */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(defaultMaxTokenLifetimeSeconds),
});
export type AuthEnv = z.output<typeof authEnvSchema>;

/** The claims settings of AuthConfig from the environment (issuer, audience, maximum lifetime). */
export function jwtClaimsConfig(env: Pick<AuthEnv, "JWT_ISSUER" | "JWT_AUDIENCE" | "JWT_MAX_LIFETIME_SECONDS">): {
  issuer?: string;
  audience?: string;
  maxLifetimeSeconds: number;
} {
  return {
    ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
    ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
    maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
  };
}

/** AuthConfig from the environment: the JWKS URL when set, else the HS256 key read with `secret`. */
export async function loadAuthConfig(env: AuthEnv, secret: SecretReader): Promise<AuthConfig> {
  const claims = jwtClaimsConfig(env);
  return env.JWT_JWKS_URL ? { jwksUrl: env.JWT_JWKS_URL, ...claims } : { hs256Key: await secret(secretNames.jwtSigningKey), ...claims };
}
