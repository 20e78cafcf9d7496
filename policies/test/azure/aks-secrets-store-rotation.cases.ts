import { aksSecretsStoreRotation } from "../../src/azure/aks-secrets-store-rotation.js";
import { casesFor, changed } from "../lib/harness.js";
import { cluster, vault } from "../fixtures/azure.js";

export default casesFor(aksSecretsStoreRotation, [
  { n: 1, title: "enabled with rotation", resource: cluster(), expect: [] },
  {
    n: 2,
    title: "no add-on",
    resource: changed(cluster(), ["addonProfiles.azureKeyvaultSecretsProvider"]),
    expect: ["the Key Vault secrets provider add-on is not enabled (addonProfiles.azureKeyvaultSecretsProvider)."],
  },
  {
    n: 3,
    title: "no rotation",
    resource: changed(cluster(), ["addonProfiles.azureKeyvaultSecretsProvider.config"]),
    expect: ['the Key Vault secrets provider does not rotate secrets (config.enableSecretRotation: "true").'],
  },
  { n: 4, title: "not a cluster", resource: vault(), notApplicable: true },
]);
