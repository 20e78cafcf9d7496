/**
 * A closed JSON schema of the Secrets Store CSI driver's SecretProviderClass (secrets-store.csi.x-k8s.io/v1), written
 * from its CRD in sigs.k8s.io/secrets-store-csi-driver v1.5.4 (config/crd/bases, the version the kubernetes tier
 * installs): no @kubernetes-models package covers it. Closed objects, so a misspelt field fails here.
 */
const str = { type: "string" } as const;
const strMap = { type: "object", additionalProperties: str } as const;

export const secretProviderClassSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  properties: {
    apiVersion: { const: "secrets-store.csi.x-k8s.io/v1" },
    kind: { const: "SecretProviderClass" },
    metadata: {
      type: "object",
      required: ["name", "namespace"],
      properties: { name: str, namespace: str, labels: strMap, annotations: strMap },
      additionalProperties: false,
    },
    spec: {
      type: "object",
      required: ["provider", "parameters"],
      properties: {
        provider: str,
        parameters: strMap,
        secretObjects: {
          type: "array",
          items: {
            type: "object",
            required: ["secretName", "type", "data"],
            properties: {
              secretName: str,
              type: str,
              labels: strMap,
              annotations: strMap,
              data: {
                type: "array",
                items: {
                  type: "object",
                  required: ["key", "objectName"],
                  properties: { key: str, objectName: str },
                  additionalProperties: false,
                },
              },
            },
            additionalProperties: false,
          },
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
} as const;
