import type { VaultArgs } from "@pulumi/azure-native/keyvault/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const keyVaultRbacAuthorization = resourcePolicy({
  name: "azure-keyvault-rbac-authorization",
  description:
    "Key Vaults authorize data-plane access with Azure RBAC (least-privilege role assignments such as Key Vault Secrets User), not access policies.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("aks-baseline", "Secrets/Key Vault RBAC", "Key Vault with Azure RBAC authorization")],
  url: "https://learn.microsoft.com/azure/key-vault/general/rbac-guide",
  remediationSteps: "Set properties.enableRbacAuthorization: true and grant identities Key Vault roles instead of access policies.",
  tags: ["azure", "keyvault", "security", "identity"],
  validateResource: (args, report) => {
    const vault = propsOf<VaultArgs>(args, azureTypes.vault);
    if (!vault) return args.notApplicable("applies to Key Vaults");
    if (vault.properties?.enableRbacAuthorization !== true) report("the vault must set properties.enableRbacAuthorization: true.");
    if ((vault.properties?.accessPolicies ?? []).length > 0)
      report("the vault must not grant access through properties.accessPolicies; use role assignments.");
  },
});
