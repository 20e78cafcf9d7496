import type { RegistryArgs } from "@pulumi/azure-native/containerregistry/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";

export const acrPublicNetworkDisabled = resourcePolicy({
  name: "azure-acr-public-network-disabled",
  description: "Container registries are not reachable from any network: public access is disabled or the firewall denies by default.",
  enforcementLevel: "advisory",
  severity: "medium",
  sources: [source("checkov", "CKV_AZURE_139", "Ensure ACR set to disable public networking")],
  url: "https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks",
  remediationSteps:
    'Set publicNetworkAccess: "Disabled" with a private endpoint, or networkRuleSet.defaultAction: "Deny" with the CI runners\' ranges (Premium).',
  tags: ["azure", "acr", "security", "network"],
  validateResource: (args, report) => {
    const registry = propsOf<RegistryArgs>(args, azureTypes.registry);
    if (!registry) return args.notApplicable("applies to container registries");
    if (sameText(registry.publicNetworkAccess, "Disabled") || sameText(registry.networkRuleSet?.defaultAction, "Deny")) return;
    report(
      'the registry accepts traffic from any network (publicNetworkAccess is not "Disabled" and networkRuleSet.defaultAction is not "Deny").',
    );
  },
});
