import { allServices, allTopics, serviceAccounts, type DaprBlock, type ServiceSpec } from "@tasks/catalog";
import type { DaprObjectMeta, DaprSettings, MetadataItem, SecretKeyRef } from "./types.js";
import { partOfLabels } from "../k8s/names.js";

/** DaprSettings with every default applied. */
export interface ResolvedDaprSettings extends Required<Omit<DaprSettings, "namespace" | "tracingEndpoint">> {
  readonly tracingEndpoint?: DaprSettings["tracingEndpoint"];
  /** Undefined on selfhosted, where resources carry no namespace. */
  readonly namespace: string | undefined;
}

export function resolveSettings(settings: DaprSettings): ResolvedDaprSettings {
  const selfhosted = settings.target === "selfhosted";
  if (selfhosted && settings.secretStore.kind !== "localfile") {
    throw new Error(`secretStore: the selfhosted target reads secrets from a local file; got kind "${settings.secretStore.kind}"`);
  }
  if (!selfhosted && settings.secretStore.kind === "localfile") {
    throw new Error(`secretStore: a local secrets file only works on the selfhosted target, not on "${settings.target}"`);
  }
  if (settings.target === "aks" && settings.secretStore.kind !== "keyvault") {
    throw new Error(`secretStore: the aks target reads secrets from Key Vault; got kind "${settings.secretStore.kind}"`);
  }
  return {
    tracingSamplingRate: "1",
    mtls: true,
    services: allServices,
    topics: allTopics,
    ...settings,
    namespace: selfhosted ? undefined : (settings.namespace ?? serviceAccounts.namespace),
  };
}

export const objectMeta = (settings: ResolvedDaprSettings, name: string): DaprObjectMeta =>
  settings.namespace === undefined
    ? { name, labels: { ...partOfLabels } }
    : { name, namespace: settings.namespace, labels: { ...partOfLabels } };

/** App ids of the services that declare a Dapr building block, sorted. */
export const appsUsing = (services: readonly ServiceSpec[], block: DaprBlock): string[] =>
  services
    .filter((s) => s.dapr.includes(block))
    .map((s) => s.name)
    .sort();

export const value = (name: string, v: MetadataItem["value"]): MetadataItem => ({ name, value: v });

/** The catalog stores one value per secret, under the secret's own name (Key Vault, Kubernetes, local file alike). */
export const secretRef = (name: string, secret: string): MetadataItem => ({ name, secretKeyRef: secretKeyRefFor(secret) });

export const secretKeyRefFor = (secret: string): SecretKeyRef => ({ name: secret, key: secret });

/**
 * Which store resolves a component's secretKeyRefs. On Kubernetes with the built-in store the Dapr
 * operator resolves them (no `auth`); with Key Vault or a local file the sidecar asks the named store.
 */
export function secretAuth(settings: ResolvedDaprSettings, storeName: string): { auth?: { secretStore: string } } {
  return settings.secretStore.kind === "kubernetes" ? {} : { auth: { secretStore: storeName } };
}
