import type { VaultArgs } from "@pulumi/azure-native/keyvault/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const minimumSoftDeleteDays = 7;

export const keyVaultSoftDelete = resourcePolicy({
  name: "azure-keyvault-soft-delete",
  description: `Key Vaults keep deleted secrets recoverable: soft delete is on with a retention of at least ${minimumSoftDeleteDays} days (the Azure default is 90).`,
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("checkov", "CKV_AZURE_111", "Ensure that key vault enables soft delete"),
    source("checkov", "CKV_AZURE_42", "Ensure the key vault is recoverable"),
  ],
  url: "https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
  remediationSteps: `Leave properties.enableSoftDelete unset or true and softDeleteRetentionInDays between ${minimumSoftDeleteDays} and 90.`,
  tags: ["azure", "keyvault", "availability"],
  validateResource: (args, report) => {
    const vault = propsOf<VaultArgs>(args, azureTypes.vault);
    if (!vault) return args.notApplicable("applies to Key Vaults");
    if (vault.properties?.enableSoftDelete === false)
      report("the vault must not turn soft delete off (properties.enableSoftDelete: false).");
    const days = vault.properties?.softDeleteRetentionInDays;
    if (typeof days === "number" && days < minimumSoftDeleteDays)
      report(`the vault keeps deleted objects ${days} days; set softDeleteRetentionInDays to at least ${minimumSoftDeleteDays}.`);
  },
});
