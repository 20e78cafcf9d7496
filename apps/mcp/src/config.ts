/**
 * mcp configuration: the common env and the auth settings (JWT_*: issuer, JWKS), plus the server's own
 * identity as an OAuth protected resource:
 *   MCP_RESOURCE_URL  its canonical URI (`https://<host>/mcp`), published as `resource` in its Protected
 *                     Resource Metadata; required.
 *   MCP_AUDIENCE      the `aud` its tokens must carry; @default MCP_RESOURCE_URL (RFC 8707). It must differ
 *                     from JWT_AUDIENCE (the tasks API's audience): a token issued for the API is refused here.
 *                     On Entra ID it is the MCP registration's client id (the `aud` of v2 access tokens).
 *   MCP_SCOPES        the scopes an MCP client requests, space-separated, published as `scopes_supported`
 *                     (Entra ID: api://<tenant>/<name>-mcp/Tasks.ReadWrite); @default none published.
 */
import { baseEnvSchema, ConfigError, loadServiceConfig, type EnvSource } from "@tasks/shared";
import { z } from "zod";

export const envSchema = baseEnvSchema.extend({
  MCP_RESOURCE_URL: z
    .url({ protocol: /^https?$/, error: "required: the server's canonical URI such as https://tasks.example.com/mcp" })
    .refine((u) => !u.includes("#"), "must not carry a fragment"),
  MCP_AUDIENCE: z.string().min(1).optional(),
  MCP_SCOPES: z
    .string()
    .regex(
      /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/,
      "space-separated scopes such as api://tasks/mcp/Tasks.ReadWrite (RFC 6749 scope tokens)",
    )
    .optional(),
});

export async function loadConfig(env: EnvSource = process.env) {
  const config = await loadServiceConfig({ service: "mcp", envSchema }, env);
  const audience = config.env.MCP_AUDIENCE ?? config.env.MCP_RESOURCE_URL;
  if (audience === config.auth.audience)
    throw new ConfigError([
      `MCP_AUDIENCE: must differ from JWT_AUDIENCE (${audience}): the mcp server accepts only tokens issued for itself`,
    ]);
  const scopes = config.env.MCP_SCOPES?.split(" ") ?? [];
  return { ...config, mcp: { resource: config.env.MCP_RESOURCE_URL, audience, ...(scopes.length ? { scopes } : {}) } };
}
export type McpConfig = Awaited<ReturnType<typeof loadConfig>>;
