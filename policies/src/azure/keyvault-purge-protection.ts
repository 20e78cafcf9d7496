import type { VaultArgs } from "@pulumi/azure-native/keyvault/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const keyVaultPurgeProtection = resourcePolicy({
  name: "azure-keyvault-purge-protection",
  description: "Key Vaults have purge protection, so a deleted vault or secret cannot be purged before its retention period ends.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("checkov", "CKV_AZURE_110", "Ensure that key vault enables purge protection"),
    source("checkov", "CKV_AZURE_42", "Ensure the key vault is recoverable"),
  ],
  url: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
  remediationSteps: "Set properties.enablePurgeProtection: true (it cannot be turned off afterwards).",
  tags: ["azure", "keyvault", "availability", "security"],
  validateResource: (args, report) => {
    const vault = propsOf<VaultArgs>(args, azureTypes.vault);
    if (!vault) return args.notApplicable("applies to Key Vaults");
    if (vault.properties?.enablePurgeProtection !== true) report("the vault must set properties.enablePurgeProtection: true.");
  },
});
