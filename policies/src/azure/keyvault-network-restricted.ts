import type { VaultArgs } from "@pulumi/azure-native/keyvault/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";

export const keyVaultNetworkRestricted = resourcePolicy({
  name: "azure-keyvault-network-restricted",
  description:
    "Key Vaults are not open to the internet: public network access is disabled (private endpoint) or the firewall denies by default and allows listed ranges.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("checkov", "CKV_AZURE_189", "Ensure that Azure Key Vault disables public network access"),
    source("checkov", "CKV_AZURE_109", "Ensure that key vault allows firewall rules settings"),
  ],
  url: "https://learn.microsoft.com/azure/key-vault/general/network-security",
  remediationSteps:
    'Set properties.publicNetworkAccess: "Disabled" with a private endpoint, or properties.networkAcls: { defaultAction: "Deny", bypass: "AzureServices", ipRules / virtualNetworkRules }.',
  tags: ["azure", "keyvault", "security", "network"],
  validateResource: (args, report) => {
    const vault = propsOf<VaultArgs>(args, azureTypes.vault);
    if (!vault) return args.notApplicable("applies to Key Vaults");
    const p = vault.properties;
    if (sameText(p?.publicNetworkAccess, "Disabled")) return;
    if (sameText(p?.networkAcls?.defaultAction, "Deny")) return;
    report(
      'the vault accepts traffic from any network: set properties.publicNetworkAccess: "Disabled" or properties.networkAcls.defaultAction: "Deny".',
    );
  },
});
