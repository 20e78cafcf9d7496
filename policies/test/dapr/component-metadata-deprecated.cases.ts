import { componentMetadataDeprecated } from "../../src/dapr/component-metadata-deprecated.js";
import { casesFor, changed } from "../lib/harness.js";
import { keyVaultStore, subscription } from "../fixtures/dapr.js";

const store = keyVaultStore();

export default casesFor(componentMetadataDeprecated, [
  { n: 1, title: "current names", resource: changed(store, ["spec.metadata.1", { name: "azureClientId", value: "id" }]), expect: [] },
  {
    n: 2,
    title: "older aliases of the azuread profile's keys",
    resource: changed(
      store,
      ["spec.metadata.1", { name: "spnClientId", value: "id" }],
      ["spec.metadata.2", { name: "tenantId", value: "t" }],
    ),
    expect: [
      'Component "secretstore" (secretstores.azure.keyvault v1) metadata "spnClientId" is deprecated; use "azureClientId".',
      'Component "secretstore" (secretstores.azure.keyvault v1) metadata "tenantId" is deprecated; use "azureTenantId".',
    ],
  },
  { n: 3, title: "a Subscription is not a Component", resource: subscription(), notApplicable: true },
]);
