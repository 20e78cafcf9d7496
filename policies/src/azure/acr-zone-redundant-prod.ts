import type { RegistryArgs } from "@pulumi/azure-native/containerregistry/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";

export const acrZoneRedundantProd = resourcePolicy({
  name: "azure-acr-zone-redundant-prod",
  description: "In prod, the container registry is Premium with zone redundancy, so image pulls survive a zone outage.",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("checkov", "CKV_AZURE_233", "Ensure Azure Container Registry (ACR) is zone redundant")],
  url: "https://learn.microsoft.com/azure/container-registry/zone-redundancy",
  remediationSteps: 'Set sku.name: "Premium" and zoneRedundancy: "Enabled" (at creation).',
  tags: ["azure", "acr", "availability", "prod-only"],
  validateResource: (args, report) => {
    const registry = propsOf<RegistryArgs>(args, azureTypes.registry);
    if (!registry) return args.notApplicable("applies to container registries");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    if (!sameText(registry.sku?.name, "Premium"))
      report(`the prod registry must be Premium for zone redundancy; sku.name is "${registry.sku?.name ?? "not set"}".`);
    if (!sameText(registry.zoneRedundancy, "Enabled")) report('the prod registry must set zoneRedundancy: "Enabled".');
  },
});
