import type * as pulumi from "@pulumi/pulumi";
import { partOfLabels } from "./names.js";

/** The Key Vault a SecretProviderClass reads, and the workload identity it reads as. */
export interface KeyVaultAccess {
  readonly vaultName: pulumi.Input<string>;
  readonly tenantId: pulumi.Input<string>;
  /** Client id of the user-assigned identity federated with the mounting pod's service account. */
  readonly clientId: pulumi.Input<string>;
}

/** A Kubernetes Secret the CSI driver keeps in sync with mounted Key Vault secrets (while a pod mounts them). */
export interface SyncedSecret {
  readonly secretName: string;
  /** Secret key -> Key Vault secret name. */
  readonly keys: Readonly<Record<string, string>>;
}

/**
 * A SecretProviderClass of the Azure Key Vault provider of the Secrets Store CSI driver (the AKS add-on
 * azureKeyvaultSecretsProvider): each Key Vault secret becomes a file named after it in the pod's mount, read
 * with workload identity (no credential in the cluster). `synced` Secrets are kept for charts that only take a
 * Kubernetes Secret.
 */
export function secretProviderClassManifest(
  name: string,
  namespace: string,
  kv: KeyVaultAccess,
  secrets: readonly string[],
  synced: readonly SyncedSecret[] = [],
) {
  const objects = secrets.map((s) => `    - |\n      objectName: ${s}\n      objectType: secret`).join("\n");
  return {
    apiVersion: "secrets-store.csi.x-k8s.io/v1",
    kind: "SecretProviderClass",
    metadata: { name, namespace, labels: { ...partOfLabels } },
    spec: {
      provider: "azure",
      parameters: {
        usePodIdentity: "false",
        clientID: kv.clientId,
        keyvaultName: kv.vaultName,
        tenantId: kv.tenantId,
        objects: `array:\n${objects}\n`,
      },
      ...(synced.length
        ? {
            secretObjects: synced.map((s) => ({
              secretName: s.secretName,
              type: "Opaque",
              data: Object.entries(s.keys).map(([key, objectName]) => ({ key, objectName })),
            })),
          }
        : {}),
    },
  };
}
