import { asObject } from "./kubernetes.js";

export type DaprKind = "Component" | "Subscription" | "Configuration" | "Resiliency" | "HTTPEndpoint";

/**
 * `new k8s.apiextensions.CustomResource(...)` registers the type `kubernetes:<apiVersion>:<kind>`,
 * e.g. `kubernetes:dapr.io/v2alpha1:Subscription`: Dapr resources are recognised by that token.
 */
const daprType = /^kubernetes:dapr\.io\/(v\d+(?:alpha\d+|beta\d+)?):(Component|Subscription|Configuration|Resiliency|HTTPEndpoint)$/;

export function daprKindOf(type: string): DaprKind | undefined {
  return daprType.exec(type)?.[2] as DaprKind | undefined;
}

export function daprApiVersionOf(type: string): string | undefined {
  return daprType.exec(type)?.[1];
}

/** One `spec.metadata` entry of a Component. */
export interface ComponentMetadataItem {
  readonly name: string;
  readonly hasValue: boolean;
  readonly hasSecretRef: boolean;
  readonly raw: Record<string, unknown>;
}

export function componentMetadata(spec: Record<string, unknown>): ComponentMetadataItem[] {
  const items = Array.isArray(spec.metadata) ? spec.metadata : [];
  return items.map((m) => {
    const raw = asObject(m);
    return {
      name: typeof raw.name === "string" ? raw.name : "",
      // `in` does not read the value, so an unknown value does not stop the check.
      hasValue: "value" in raw,
      hasSecretRef: "secretKeyRef" in raw,
      raw,
    };
  });
}

/** Name of the Configuration the Dapr control plane reads its own settings (mTLS) from. */
export const daprSystemConfigurationName = "daprsystem";
