import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { acrAdminDisabled } from "./acr-admin-disabled.js";
import { acrPublicNetworkDisabled } from "./acr-public-network-disabled.js";
import { acrZoneRedundantProd } from "./acr-zone-redundant-prod.js";
import { aksApiServerAccess } from "./aks-api-server-access.js";
import { aksAutoUpgrade } from "./aks-auto-upgrade.js";
import { aksAvailabilityZonesProd } from "./aks-availability-zones-prod.js";
import { aksAzurePolicyAddon } from "./aks-azure-policy-addon.js";
import { aksContainerInsights } from "./aks-container-insights.js";
import { aksEntraRbac } from "./aks-entra-rbac.js";
import { aksLocalAccountsDisabled } from "./aks-local-accounts-disabled.js";
import { aksNetworkPolicy } from "./aks-network-policy.js";
import { aksOidcIssuer } from "./aks-oidc-issuer.js";
import { aksSecretsStoreRotation } from "./aks-secrets-store-rotation.js";
import { aksStandardTierProd } from "./aks-standard-tier-prod.js";
import { aksSystemPoolCriticalOnly } from "./aks-system-pool-critical-only.js";
import { aksWorkloadIdentity } from "./aks-workload-identity.js";
import { eventHubsDeadLetterHubs } from "./eventhubs-dead-letter-hubs.js";
import { eventHubsKafkaEnabled } from "./eventhubs-kafka-enabled.js";
import { eventHubsMinTls } from "./eventhubs-min-tls.js";
import { eventHubsSkuLimits } from "./eventhubs-sku-limits.js";
import { eventHubsZoneRedundantProd } from "./eventhubs-zone-redundant-prod.js";
import { keyVaultNetworkRestricted } from "./keyvault-network-restricted.js";
import { keyVaultPurgeProtection } from "./keyvault-purge-protection.js";
import { keyVaultRbacAuthorization } from "./keyvault-rbac-authorization.js";
import { keyVaultSoftDelete } from "./keyvault-soft-delete.js";
import { noOwnerRoleForWorkloadIdentity } from "./no-owner-role-for-workload-identity.js";
import { postgresBackupRetention } from "./postgres-backup-retention.js";
import { postgresEntraAuth } from "./postgres-entra-auth.js";
import { postgresGeoRedundantBackupProd } from "./postgres-geo-redundant-backup-prod.js";
import { postgresPrivateAccess } from "./postgres-private-access.js";
import { postgresTlsRequired } from "./postgres-tls-required.js";
import { postgresVersion } from "./postgres-version.js";
import { postgresZoneRedundantHaProd } from "./postgres-zone-redundant-ha-prod.js";
import { requiredTags } from "./required-tags.js";

export const azurePolicies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  acrAdminDisabled,
  acrPublicNetworkDisabled,
  acrZoneRedundantProd,
  aksApiServerAccess,
  aksAutoUpgrade,
  aksAvailabilityZonesProd,
  aksAzurePolicyAddon,
  aksContainerInsights,
  aksEntraRbac,
  aksLocalAccountsDisabled,
  aksNetworkPolicy,
  aksOidcIssuer,
  aksSecretsStoreRotation,
  aksStandardTierProd,
  aksSystemPoolCriticalOnly,
  aksWorkloadIdentity,
  eventHubsDeadLetterHubs,
  eventHubsKafkaEnabled,
  eventHubsMinTls,
  eventHubsSkuLimits,
  eventHubsZoneRedundantProd,
  keyVaultNetworkRestricted,
  keyVaultPurgeProtection,
  keyVaultRbacAuthorization,
  keyVaultSoftDelete,
  noOwnerRoleForWorkloadIdentity,
  postgresBackupRetention,
  postgresEntraAuth,
  postgresGeoRedundantBackupProd,
  postgresPrivateAccess,
  postgresTlsRequired,
  postgresVersion,
  postgresZoneRedundantHaProd,
  requiredTags,
];
