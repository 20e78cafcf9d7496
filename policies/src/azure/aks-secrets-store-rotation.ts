import type { ManagedClusterArgs } from "@pulumi/azure-native/containerservice/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { addonProfile, azureTypes, propsOf } from "../lib/azure.js";

export const aksSecretsStoreRotation = resourcePolicy({
  name: "azure-aks-secrets-store-rotation",
  description: "The Key Vault secrets provider add-on is enabled with secret rotation, so mounted secrets follow Key Vault.",
  enforcementLevel: "advisory",
  severity: "low",
  sources: [
    source("checkov", "CKV_AZURE_172", "Ensure autorotation of Secrets Store CSI Driver secrets for AKS clusters"),
    source("aks-baseline", "Secrets/Key Vault provider", "Azure Key Vault provider for Secrets Store CSI Driver"),
  ],
  url: "https://learn.microsoft.com/azure/aks/csi-secrets-store-driver",
  remediationSteps: 'Set addonProfiles.azureKeyvaultSecretsProvider: { enabled: true, config: { enableSecretRotation: "true" } }.',
  tags: ["azure", "aks", "security", "secrets"],
  validateResource: (args, report) => {
    const cluster = propsOf<ManagedClusterArgs>(args, azureTypes.managedCluster);
    if (!cluster) return args.notApplicable("applies to AKS clusters");
    const addon = addonProfile(cluster, "azureKeyvaultSecretsProvider");
    if (addon?.enabled !== true)
      report("the Key Vault secrets provider add-on is not enabled (addonProfiles.azureKeyvaultSecretsProvider).");
    else if (addon.config?.enableSecretRotation !== "true")
      report('the Key Vault secrets provider does not rotate secrets (config.enableSecretRotation: "true").');
  },
});
