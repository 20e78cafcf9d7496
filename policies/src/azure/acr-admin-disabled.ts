import type { RegistryArgs } from "@pulumi/azure-native/containerregistry/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const acrAdminDisabled = resourcePolicy({
  name: "azure-acr-admin-disabled",
  description:
    "Container registries have the admin user disabled; pushes and pulls use Entra identities (AcrPush for CI, AcrPull for the kubelet).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("checkov", "CKV_AZURE_137", "Ensure ACR admin account is disabled"),
    source("cis-aks", "5.1.2", "Minimize user access to Azure Container Registry (ACR)"),
  ],
  url: "https://learn.microsoft.com/azure/container-registry/container-registry-authentication",
  remediationSteps: "Set adminUserEnabled: false and grant AcrPull / AcrPush roles instead.",
  tags: ["azure", "acr", "security", "identity"],
  validateResource: (args, report) => {
    const registry = propsOf<RegistryArgs>(args, azureTypes.registry);
    if (!registry) return args.notApplicable("applies to container registries");
    if (registry.adminUserEnabled === true) report("the registry must not enable the admin user (adminUserEnabled: true).");
  },
});
