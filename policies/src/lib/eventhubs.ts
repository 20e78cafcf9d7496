import type { PolicyResource } from "@pulumi/policy";
import { azureTypes } from "./azure.js";
import { asObject } from "./kubernetes.js";
import { knownOr } from "./unknown.js";

export interface HubInfo {
  readonly resource: PolicyResource;
  readonly name: string;
  readonly partitions: number | undefined;
  readonly retentionDays: number | undefined;
}

export interface NamespaceInfo {
  readonly resource: PolicyResource;
  readonly name: string;
  readonly sku: string;
  readonly capacity: number;
  readonly hubs: HubInfo[];
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** Event Hubs namespaces of a stack with the event hubs declared in them (matched by namespace name). */
export function eventHubNamespaces(resources: readonly PolicyResource[]): NamespaceInfo[] {
  const namespaces = resources.filter((r) => r.type === azureTypes.eventHubNamespace);
  const hubs = resources.filter((r) => r.type === azureTypes.eventHub);
  return namespaces.map((ns) => {
    // The namespace's Azure name: namespaceName if given, else the autonamed `name` output.
    const name = str(ns.props.namespaceName) ?? knownOr(() => str(ns.props.name), undefined) ?? ns.name;
    const sku = asObject(ns.props.sku);
    const inNamespace = hubs.filter((h) => knownOr(() => str(h.props.namespaceName), undefined) === name);
    return {
      resource: ns,
      name,
      sku: String(sku.name ?? "Standard"),
      capacity: typeof sku.capacity === "number" ? sku.capacity : 1,
      hubs: inNamespace.map((h) => {
        const retention = asObject(h.props.retentionDescription);
        const hours = typeof retention.retentionTimeInHours === "number" ? retention.retentionTimeInHours : undefined;
        const days =
          typeof h.props.messageRetentionInDays === "number"
            ? h.props.messageRetentionInDays
            : hours !== undefined
              ? hours / 24
              : undefined;
        return {
          resource: h,
          name: str(h.props.eventHubName) ?? knownOr(() => str(h.props.name), undefined) ?? h.name,
          partitions: typeof h.props.partitionCount === "number" ? h.props.partitionCount : undefined,
          retentionDays: days,
        };
      }),
    };
  });
}
