import { daprComponents } from "@tasks/catalog";
import { objectMeta, value, type ResolvedDaprSettings } from "./settings.js";
import { daprApiVersion, type DaprComponent } from "./types.js";

/**
 * The secret store apps read through and components resolve secretKeyRefs with: Key Vault through
 * workload identity on AKS (no credentials in the component: the sidecar uses the pod's federated
 * service-account token), Kubernetes secrets on minikube, a JSON file for selfhosted daprd.
 * `scopes` are the apps that read secrets plus those whose components need the store.
 */
export function secretStoreComponent(settings: ResolvedDaprSettings, scopes: readonly string[]): DaprComponent {
  const store = settings.secretStore;
  const spec =
    store.kind === "keyvault"
      ? { type: "secretstores.azure.keyvault", metadata: [value("vaultName", store.vaultName)] }
      : store.kind === "kubernetes"
        ? { type: "secretstores.kubernetes", metadata: [value("defaultNamespace", settings.namespace ?? "")] }
        : { type: "secretstores.local.file", metadata: [value("secretsFile", store.secretsFile), value("nestedSeparator", ":")] };
  return {
    apiVersion: daprApiVersion,
    kind: "Component",
    metadata: objectMeta(settings, daprComponents.secretStore),
    spec: { ...spec, version: "v1" },
    scopes: [...new Set(scopes)].sort(),
  };
}
