/**
 * The one place a service's authentication settings are read: the `JWT_*`, `CORS_ALLOWED_ORIGINS` and
 * `RATE_LIMIT_PER_MINUTE` environment (none of it secret: the stacks set it from tasks-platform:identity,
 * npm run dev from its local OpenID Provider). A service with public routes needs the provider's JWKS
 * URL, issuer and audience; there is no shared signing key. Extend `authEnvSchema` and `loadAuthConfig`
 * (and AuthConfig in auth.ts) to add settings; every service with public routes gets them through
 * `loadServiceConfig`.
 */
import { z } from "zod";
import { asymmetricAlgorithms, defaultMaxTokenLifetimeSeconds, type AsymmetricAlgorithm, type AuthConfig } from "./auth.js";
import { ConfigError } from "./config-error.js";

/** Reads one secret from the service's Dapr secret store. */
export type SecretReader = (name: string) => Promise<string>;

const commaList = z.string().transform((v) =>
  v
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
);

const origin = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

/** The authentication settings in every service's environment. */
export const authEnvSchema = z.object({
  /** The identity provider's keys (required with public routes). */
  JWT_JWKS_URL: z.url({ protocol: /^https?$/ }).optional(),
  /** The `iss` every token must carry (required with public routes). */
  JWT_ISSUER: z.string().min(1).optional(),
  /** The `aud` every token must carry (required with public routes). */
  JWT_AUDIENCE: z.string().min(1).optional(),
  /** Accepted algorithms, comma-separated: asymmetric only (never none or HS256). */
  JWT_ALGORITHMS: commaList
    .pipe(z.array(z.enum(asymmetricAlgorithms, { error: `expected a list of ${asymmetricAlgorithms.join(", ")}` })).min(1))
    .default(["RS256"]),
  /** The claim that identifies the user: `oid` on Entra ID, `sub` elsewhere. */
  JWT_USER_ID_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_.:/-]{1,100}$/)
    .default("sub"),
  /** The claim with the user's email address (the default reminder address). */
  JWT_EMAIL_CLAIM: z
    .string()
    .regex(/^[A-Za-z0-9_.:/-]{1,100}$/)
    .default("email"),
  /** Tolerance on exp and nbf, seconds. */
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  /** Longest bearer-token lifetime accepted (exp minus iat); tokens without exp are always refused. */
  JWT_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(defaultMaxTokenLifetimeSeconds),
  /** Browser origins allowed by CORS and the realtime Origin check, comma-separated. */
  CORS_ALLOWED_ORIGINS: commaList.pipe(z.array(z.string().regex(origin, "expected origins such as https://tasks.example.com"))).default([]),
  /** Requests per minute one user may make to the public routes (429 with Retry-After beyond). 0 disables. */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(600),
});
export type AuthEnv = z.output<typeof authEnvSchema>;

/** AuthConfig from the environment; throws ConfigError naming each missing key (JWKS URL, issuer, audience). */
export function loadAuthConfig(env: AuthEnv): AuthConfig {
  const missing = (["JWT_JWKS_URL", "JWT_ISSUER", "JWT_AUDIENCE"] as const).filter((k) => !env[k]);
  if (missing.length)
    throw new ConfigError(missing.map((k) => `${k}: required for a service with public routes (the identity provider's)`));
  return {
    jwksUrl: env.JWT_JWKS_URL!,
    issuer: env.JWT_ISSUER!,
    audience: env.JWT_AUDIENCE!,
    algorithms: env.JWT_ALGORITHMS as AsymmetricAlgorithm[],
    userIdClaim: env.JWT_USER_ID_CLAIM,
    emailClaim: env.JWT_EMAIL_CLAIM,
    clockSkewSeconds: env.JWT_CLOCK_SKEW_SECONDS,
    maxLifetimeSeconds: env.JWT_MAX_LIFETIME_SECONDS,
    allowedOrigins: env.CORS_ALLOWED_ORIGINS,
    requestsPerMinute: env.RATE_LIMIT_PER_MINUTE,
  };
}
