import { asObject, objectName, type ObjectMeta } from "./kubernetes.js";
import { peek } from "./unknown.js";

export type DaprKind = "Component" | "Subscription" | "Configuration" | "Resiliency" | "HTTPEndpoint";

/**
 * `new k8s.apiextensions.CustomResource(...)` registers the type `kubernetes:<apiVersion>:<kind>`,
 * e.g. `kubernetes:dapr.io/v2alpha1:Subscription`: Dapr resources are recognised by that token.
 */
const daprType = /^kubernetes:dapr\.io\/(v\d+(?:alpha\d+|beta\d+)?):(Component|Subscription|Configuration|Resiliency|HTTPEndpoint)$/;

export function daprKindOf(type: string): DaprKind | undefined {
  return daprType.exec(type)?.[2] as DaprKind | undefined;
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

/** A Dapr Component as the linter reads it: name, type and version, metadata items. */
export interface ComponentView {
  readonly name: string;
  readonly namespace: string | undefined;
  /** `pubsub.kafka`; "" when unset or unknown during preview. */
  readonly type: string;
  readonly version: string;
  readonly items: ComponentMetadataItem[];
  /** `Component "pubsub" (pubsub.kafka v1)`, for messages. */
  readonly label: string;
}

const knownString = (read: () => unknown): string => {
  const p = peek(read);
  return p.known && typeof p.value === "string" ? p.value : "";
};

export function componentView(props: Record<string, unknown>, resourceName: string): ComponentView {
  const meta = asObject(props.metadata) as ObjectMeta;
  const spec = asObject(props.spec);
  const name = objectName(meta, resourceName);
  const type = knownString(() => spec.type);
  const version = knownString(() => spec.version);
  const namespace = typeof meta.namespace === "string" ? meta.namespace : undefined;
  return {
    name,
    namespace,
    type,
    version,
    items: componentMetadata(spec),
    label: `Component "${name}" (${type || "?"} ${version || "?"})`,
  };
}

/** The item's plain value when it is a known string; undefined for secretKeyRefs and preview unknowns. */
export function plainValue(item: ComponentMetadataItem): string | undefined {
  if (!item.hasValue) return undefined;
  const p = peek(() => item.raw.value);
  return p.known && typeof p.value === "string" ? p.value : undefined;
}
