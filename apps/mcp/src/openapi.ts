/**
 * The mcp server's OpenAPI 3.1 document (catalog openapiPath): its HTTP surface, not its tools. The tools,
 * their input and output JSON schemas, the resource and the prompt are listed by the protocol itself
 * (tools/list, resources/templates/list, prompts/list), which is where MCP clients read them.
 */
import { mcpEndpoint, mcpResourceMetadataPath } from "@tasks/catalog";

export function mcpOpenapi() {
  const unauthorized = {
    description: "No valid token for this server's audience.",
    headers: {
      "WWW-Authenticate": {
        description: 'Bearer error="invalid_token", error_description="...", resource_metadata="<Protected Resource Metadata URL>"',
        schema: { type: "string" },
      },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "tasks platform: MCP server",
      version: "0.1.0",
      description: "Model Context Protocol over Streamable HTTP (stateless, JSON responses). Authorization per MCP 2025-06-18.",
    },
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    paths: {
      [mcpEndpoint]: {
        post: {
          summary: "One JSON-RPC 2.0 message (initialize, tools/list, tools/call, resources/read, prompts/get, ...)",
          security: [{ bearer: [] }],
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: { type: "object", required: ["jsonrpc"], properties: { jsonrpc: { const: "2.0" } } } },
            },
          },
          responses: {
            "200": { description: "The JSON-RPC response.", content: { "application/json": { schema: { type: "object" } } } },
            "202": { description: "A notification or response was accepted." },
            "400": { description: "Not a JSON-RPC message, or a token in the URL." },
            "401": unauthorized,
            "403": { description: "A browser Origin that is not allowed." },
          },
        },
        get: {
          summary: "No server-to-client stream (stateless).",
          security: [{ bearer: [] }],
          responses: { "405": { description: "Use POST." }, "401": unauthorized },
        },
        delete: {
          summary: "No session to end (stateless).",
          security: [{ bearer: [] }],
          responses: { "405": { description: "Use POST." }, "401": unauthorized },
        },
      },
      [mcpResourceMetadataPath]: {
        get: {
          summary: "OAuth 2.0 Protected Resource Metadata (RFC 9728)",
          responses: {
            "200": {
              description:
                "resource, authorization_servers (the stack's issuer), bearer_methods_supported, scopes_supported when configured",
              content: {
                "application/json": {
                  schema: {
                    type: "object",
                    required: ["resource", "authorization_servers"],
                    properties: {
                      resource: { type: "string" },
                      authorization_servers: { type: "array", items: { type: "string" } },
                      scopes_supported: { type: "array", items: { type: "string" } },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
