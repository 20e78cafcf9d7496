/**
 * Minimal JSON schemas of the Dapr custom resources the stacks create, written from the CRDs in
 * dapr/dapr charts/dapr/crds (components.yaml, configuration.yaml, resiliency.yaml, subscription.yaml)
 * and docs.dapr.io/reference/resource-specs. Required fields and types follow the CRDs; objects this
 * repository fills are closed (additionalProperties: false) so a misspelt field fails instead of being
 * pruned silently by the API server.
 */
const str = { type: "string" } as const;
const strArray = { type: "array", items: str } as const;
const objectMeta = {
  type: "object",
  required: ["name"],
  properties: {
    name: str,
    namespace: str,
    labels: { type: "object", additionalProperties: str },
    annotations: { type: "object", additionalProperties: str },
  },
  additionalProperties: false,
} as const;

const metadataItem = {
  type: "object",
  required: ["name"],
  properties: {
    name: str,
    value: {},
    secretKeyRef: { type: "object", required: ["name", "key"], properties: { name: str, key: str }, additionalProperties: false },
  },
  additionalProperties: false,
} as const;

export const componentSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "dapr.io/v1alpha1" },
    kind: { const: "Component" },
    metadata: objectMeta,
    auth: { type: "object", required: ["secretStore"], properties: { secretStore: str }, additionalProperties: false },
    scopes: strArray,
    spec: {
      type: "object",
      required: ["metadata", "type", "version"],
      properties: {
        type: str,
        version: str,
        initTimeout: str,
        ignoreErrors: { type: "boolean" },
        metadata: { type: "array", items: metadataItem },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const subscriptionSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "dapr.io/v2alpha1" },
    kind: { const: "Subscription" },
    metadata: objectMeta,
    scopes: strArray,
    spec: {
      type: "object",
      required: ["pubsubname", "routes", "topic"],
      properties: {
        pubsubname: str,
        topic: str,
        deadLetterTopic: str,
        metadata: { type: "object", additionalProperties: str },
        routes: {
          type: "object",
          properties: {
            default: str,
            rules: {
              type: "array",
              items: { type: "object", required: ["match", "path"], properties: { match: str, path: str }, additionalProperties: false },
            },
          },
          additionalProperties: false,
        },
        bulkSubscribe: {
          type: "object",
          required: ["enabled"],
          properties: { enabled: { type: "boolean" }, maxMessagesCount: { type: "integer" }, maxAwaitDurationMs: { type: "integer" } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const accessOperation = {
  type: "object",
  required: ["action", "name"],
  properties: { name: str, httpVerb: strArray, action: { enum: ["allow", "deny"] } },
  additionalProperties: false,
} as const;

export const configurationSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "dapr.io/v1alpha1" },
    kind: { const: "Configuration" },
    metadata: objectMeta,
    spec: {
      type: "object",
      properties: {
        tracing: {
          type: "object",
          required: ["samplingRate"],
          properties: {
            samplingRate: str,
            stdout: { type: "boolean" },
            otel: {
              type: "object",
              required: ["endpointAddress", "isSecure", "protocol"],
              properties: { endpointAddress: str, isSecure: { type: "boolean" }, protocol: { enum: ["grpc", "http"] }, timeout: str },
              additionalProperties: false,
            },
          },
          additionalProperties: false,
        },
        metrics: { type: "object", required: ["enabled"], properties: { enabled: { type: "boolean" } }, additionalProperties: false },
        mtls: {
          type: "object",
          required: ["controlPlaneTrustDomain", "enabled", "sentryAddress"],
          properties: {
            enabled: { type: "boolean" },
            controlPlaneTrustDomain: str,
            sentryAddress: str,
            workloadCertTTL: str,
            allowedClockSkew: str,
          },
          additionalProperties: false,
        },
        accessControl: {
          type: "object",
          properties: {
            defaultAction: { enum: ["allow", "deny"] },
            trustDomain: str,
            policies: {
              type: "array",
              items: {
                type: "object",
                required: ["appId"],
                properties: {
                  appId: str,
                  defaultAction: { enum: ["allow", "deny"] },
                  trustDomain: str,
                  namespace: str,
                  operations: { type: "array", items: accessOperation },
                },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

const targetPolicies = {
  type: "object",
  properties: { timeout: str, retry: str, circuitBreaker: str },
  additionalProperties: false,
} as const;

export const resiliencySchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "dapr.io/v1alpha1" },
    kind: { const: "Resiliency" },
    metadata: objectMeta,
    scopes: strArray,
    spec: {
      type: "object",
      required: ["policies", "targets"],
      properties: {
        policies: {
          type: "object",
          properties: {
            timeouts: { type: "object", additionalProperties: str },
            retries: {
              type: "object",
              additionalProperties: {
                type: "object",
                properties: {
                  policy: { enum: ["constant", "exponential"] },
                  duration: str,
                  maxInterval: str,
                  maxRetries: { type: "integer" },
                  matching: {
                    type: "object",
                    properties: { httpStatusCodes: str, gRPCStatusCodes: str },
                    additionalProperties: false,
                  },
                },
                additionalProperties: false,
              },
            },
            circuitBreakers: {
              type: "object",
              additionalProperties: {
                type: "object",
                properties: { maxRequests: { type: "integer" }, interval: str, timeout: str, trip: str },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
        targets: {
          type: "object",
          properties: {
            apps: { type: "object", additionalProperties: targetPolicies },
            actors: { type: "object" },
            components: {
              type: "object",
              additionalProperties: {
                type: "object",
                properties: { inbound: targetPolicies, outbound: targetPolicies },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;

export const daprSchemas = {
  "dapr.io/v1alpha1/Component": componentSchema,
  "dapr.io/v2alpha1/Subscription": subscriptionSchema,
  "dapr.io/v1alpha1/Configuration": configurationSchema,
  "dapr.io/v1alpha1/Resiliency": resiliencySchema,
} as const;
