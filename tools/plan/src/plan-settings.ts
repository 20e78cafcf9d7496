import type { RecordedResource } from "@tasks/stacks/offline/mocked-run";
import { isSecret, unwrapSecret } from "./plan-mask.js";

/**
 * The key settings of a resource, as short phrases, for the plan tree: what a reviewer checks first
 * (zones, SKUs, HA, retention, partitions, roles…). Secrets are shown as [secret], never their value.
 */

type Obj = Record<string, unknown>;
const get = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((v, k) => (v && typeof v === "object" ? (unwrapSecret(v) as Obj)[k] : undefined), o);
const s = (v: unknown): string =>
  isSecret(v) ? "[secret]" : v === undefined || v === null ? "-" : Array.isArray(v) ? v.map(s).join(", ") : String(v);
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Names resources by id: a mocked resource's id is `<name>-id`. */
export interface PlanContext {
  readonly nameOfId: (id: unknown) => string;
}

export function planContext(resources: readonly RecordedResource[]): PlanContext {
  const byId = new Map(resources.filter((r) => r.custom).map((r) => [`${r.name}-id`, r.name]));
  return { nameOfId: (id) => (typeof id === "string" ? (byId.get(id) ?? id) : s(id)) };
}

const roleNames: Record<string, string> = {
  "7f951dda-4ed3-4680-a7ca-43fe172d538d": "AcrPull",
  "8311e382-0749-4cb8-b61a-304f252e45ec": "AcrPush",
  "befefa01-2a29-4197-83a8-272ff33ce314": "DNS Zone Contributor",
  "12338af0-0e69-4776-bea7-57ae8d297424": "Key Vault Crypto User",
  "acdd72a7-3385-48ef-bd42-f606fba81ae7": "Reader",
  "ba92f5b4-2d11-453d-a403-e96b0029c9fe": "Storage Blob Data Contributor",
  "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1": "Storage Blob Data Reader",
  "4abbcc35-e782-43d8-92c5-2d3f1bd2253f": "AKS Cluster User",
  "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b": "AKS RBAC Cluster Admin",
  "b24988ac-6180-42a0-ab88-20f7382dd24c": "Contributor",
  "4633458b-17de-408a-b874-0445c86b69e6": "Key Vault Secrets User",
  "3913510d-42f4-4e42-8a64-420c390055eb": "Monitoring Metrics Publisher",
  "4d97b98b-1d4f-4787-a291-c67834d212e7": "Network Contributor",
  "f58310d9-a9f6-439a-9e8d-f62e7b41a168": "RBAC Administrator",
};

type Formatter = (i: Obj, r: RecordedResource, ctx: PlanContext) => string[];

function pool(p: Obj): string {
  const taints = list(p.nodeTaints);
  return `${s(p.mode)} pool ${s(p.name)}: ${s(p.vmSize)} x${s(p.minCount)}..${s(p.maxCount)} (autoscaler ${p.enableAutoScaling ? "on" : "off"}), zones ${list(p.availabilityZones).join(",") || "none"}${taints.length ? `, taint ${taints.join(",")}` : ""}`;
}

const formatters: Record<string, Formatter> = {
  "azure-native:resources:ResourceGroup": (i) => [`${s(i.resourceGroupName)} in ${s(i.location)}`],
  "azure-native:network:VirtualNetwork": (i) => [`address space ${s(get(i, "addressSpace", "addressPrefixes"))}`],
  "azure-native:network:Subnet": (i) => [
    `${s(i.addressPrefix)}${list(i.delegations).length ? `, delegated to ${s(get(i, "delegations", 0, "serviceName"))}` : ""}`,
  ],
  "azure-native:network:PrivateEndpoint": (i, _r, c) => [
    `private link to ${c.nameOfId(get(i, "privateLinkServiceConnections", 0, "privateLinkServiceId"))} (${s(get(i, "privateLinkServiceConnections", 0, "groupIds"))})`,
  ],
  "azure-native:privatedns:PrivateZone": (i) => [s(i.privateZoneName)],
  "azure-native:operationalinsights:Workspace": (i) => [`${s(get(i, "sku", "name"))}, retention ${s(i.retentionInDays)} days`],
  "azure-native:monitor:DataCollectionRule": (i) => [`streams ${s(get(i, "dataFlows", 0, "streams"))}`],
  "azure-native:containerservice:ManagedCluster": (i) => [
    `Kubernetes ${s(i.kubernetesVersion)}, tier ${s(get(i, "sku", "tier"))}`,
    ...list(i.agentPoolProfiles).map((p) => pool(p as Obj)),
    `network ${s(get(i, "networkProfile", "networkPlugin"))} ${s(get(i, "networkProfile", "networkPluginMode"))}, policy ${s(get(i, "networkProfile", "networkPolicy"))}`,
    `${i.disableLocalAccounts ? "local accounts disabled" : "LOCAL ACCOUNTS ENABLED"}, Entra ID${get(i, "aadProfile", "enableAzureRBAC") ? " + Azure RBAC" : ""}, OIDC issuer ${get(i, "oidcIssuerProfile", "enabled") ? "on" : "off"}, workload identity ${get(i, "securityProfile", "workloadIdentity", "enabled") ? "on" : "off"}`,
    get(i, "apiServerAccessProfile", "enablePrivateCluster")
      ? "private API server"
      : `API server limited to ${s(get(i, "apiServerAccessProfile", "authorizedIPRanges"))}`,
    `upgrades: ${s(get(i, "autoUpgradeProfile", "upgradeChannel"))}, node OS: ${s(get(i, "autoUpgradeProfile", "nodeOSUpgradeChannel"))}`,
    `add-ons: ${Object.entries((i.addonProfiles ?? {}) as Obj)
      .filter(([, a]) => get(a, "enabled"))
      .map(([k]) => k)
      .join(", ")}`,
  ],
  "azure-native:containerservice:MaintenanceConfiguration": (i) => [
    `${s(i.configName)}: ${s(get(i, "maintenanceWindow", "schedule", "weekly", "dayOfWeek"))}s ${s(get(i, "maintenanceWindow", "startTime"))} (UTC${s(get(i, "maintenanceWindow", "utcOffset"))}) for ${s(get(i, "maintenanceWindow", "durationHours"))}h`,
  ],
  "azure-native:authorization:RoleAssignment": (i, _r, c) => [
    `${roleNames[String(i.roleDefinitionId).split("/").pop() ?? ""] ?? s(i.roleDefinitionId)} for ${s(i.principalType)} ${s(i.principalId)} on ${c.nameOfId(i.scope)}${i.condition ? " (with condition)" : ""}`,
  ],
  "azure-native:authorization:PolicyAssignment": (i, _r, c) => [
    `${s(i.displayName)}, effect ${s(get(i, "parameters", "effect", "value"))}, on ${c.nameOfId(i.scope)}`,
  ],
  "azure-native:managedidentity:FederatedIdentityCredential": (i) => [`trusts ${s(i.subject)}`],
  "azure-native:containerregistry:Registry": (i) => [
    `${s(i.registryName)}: ${s(get(i, "sku", "name"))}, zone redundancy ${s(i.zoneRedundancy)}, admin user ${i.adminUserEnabled ? "ENABLED" : "disabled"}${get(i, "networkRuleSet", "defaultAction") ? `, firewall ${s(get(i, "networkRuleSet", "defaultAction"))}` : ""}`,
  ],
  "azure-native:eventhub:Namespace": (i) => [
    `${s(i.namespaceName)}: ${s(get(i, "sku", "name"))} x${s(get(i, "sku", "capacity"))}, Kafka ${i.kafkaEnabled ? "on" : "off"}, zone redundant ${i.zoneRedundant ? "yes" : "no"}, TLS >= ${s(i.minimumTlsVersion)}, public access ${s(i.publicNetworkAccess)}`,
  ],
  "azure-native:eventhub:EventHub": (i) => [
    `${plural(Number(i.partitionCount), "partition")}, ${plural(Number(get(i, "retentionDescription", "retentionTimeInHours")) / 24, "day")} retention${typeof i.userMetadata === "string" ? `, ${i.userMetadata}` : ""}`,
  ],
  "azure-native:eventhub:ConsumerGroup": (i) => [`consumer group ${s(i.consumerGroupName)}`],
  "azure-native:eventhub:NamespaceAuthorizationRule": (i) => [`${s(i.authorizationRuleName)}: ${s(i.rights)}`],
  "azure-native:keyvault:Vault": (i) => {
    const p = unwrapSecret(i.properties) as Obj;
    return [
      `${s(i.vaultName)}: ${s(get(p, "sku", "name"))}, ${p.enableRbacAuthorization ? "RBAC" : "ACCESS POLICIES"}, soft delete ${s(p.softDeleteRetentionInDays)} days, purge protection ${p.enablePurgeProtection ? "on" : "OFF"}, public access ${s(p.publicNetworkAccess)} (default ${s(get(p, "networkAcls", "defaultAction"))}, allow ${
        list(get(p, "networkAcls", "ipRules"))
          .map((r) => s(get(r, "value")))
          .join(", ") || "none"
      })`,
    ];
  },
  "azure-native:keyvault:Secret": (i) => [
    `${s(i.secretName)} = ${isSecret(i.properties) || isSecret(get(i, "properties", "value")) ? "[secret]" : "PLAIN TEXT"}`,
  ],
  "azure-native:dbforpostgresql:Server": (i) => [
    `Postgres ${s(i.version)}, ${s(get(i, "sku", "name"))} (${s(get(i, "sku", "tier"))}), ${s(get(i, "storage", "storageSizeGB"))} GB, HA ${s(get(i, "highAvailability", "mode"))}`,
    `backups ${s(get(i, "backup", "backupRetentionDays"))} days (geo-redundant ${s(get(i, "backup", "geoRedundantBackup"))}), public access ${s(get(i, "network", "publicNetworkAccess"))}, Entra auth ${s(get(i, "authConfig", "activeDirectoryAuth"))}, admin password [secret]`,
  ],
  "azure-native:dbforpostgresql:Configuration": (i) => [`${s(i.configurationName)} = ${s(i.value)}`],
  "azure-native:dbforpostgresql:Database": (i) => [`database ${s(i.databaseName)}`],
  "azuread:index/group:Group": (i) => [`${s(i.displayName)}${i.securityEnabled ? ", security group" : ""}`],
  "azuread:index/application:Application": (i) => [
    `${s(i.displayName)}, ${i.password ? "HAS A PASSWORD CREDENTIAL" : "no password credential"}`,
    ...(list(i.identifierUris).length ? [`application ID URI ${s(i.identifierUris)}`] : []),
    ...list(get(i, "api", "oauth2PermissionScopes")).map(
      (scope) =>
        `scope ${s(get(scope, "value"))} (${s(get(scope, "type"))} consent), access tokens v${s(get(i, "api", "requestedAccessTokenVersion"))}`,
    ),
    ...(list(get(i, "singlePageApplication", "redirectUris")).length
      ? [`single-page app (public client, code + PKCE), redirect URIs ${s(get(i, "singlePageApplication", "redirectUris"))}`]
      : []),
    ...(list(get(i, "publicClient", "redirectUris")).length
      ? [`public client (mobile and desktop, code + PKCE), redirect URIs ${s(get(i, "publicClient", "redirectUris"))}`]
      : []),
    ...list(i.requiredResourceAccesses).map(
      (r) => `requires ${plural(list(get(r, "resourceAccesses")).length, "permission")} of API ${s(get(r, "resourceAppId"))}`,
    ),
  ],
  "azuread:index/servicePrincipal:ServicePrincipal": (i) => (i.appRoleAssignmentRequired ? ["users must be assigned to sign in"] : []),
  "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant": (i) => [
    `${i.userObjectId ? "consent for one user" : "consent for all users"}: ${s(i.claimValues)}`,
  ],
  "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": (i) => [`trusts ${s(i.subject)}`],
  "random:index/randomPassword:RandomPassword": (i) => [`${s(i.length)} characters, value [secret]`],
  "pulumi:providers:kubernetes": (i) => [
    `kubeconfig ${isSecret(i.kubeconfig) ? "[secret]" : typeof i.kubeconfig === "string" ? "PLAIN TEXT" : "ambient"}`,
  ],
};

function kubernetesSettings(i: Obj, r: RecordedResource): string[] {
  if (r.type.startsWith("kubernetes:helm.sh/")) {
    return [`chart ${s(i.chart)} ${s(i.version)} in ${s(i.namespace)}`];
  }
  const ns = get(i, "metadata", "namespace");
  const name = get(i, "metadata", "name");
  return name !== undefined ? [`${ns !== undefined ? `${s(ns)}/` : ""}${s(name)}`] : [];
}

/** Key settings of one resource; [] when there is nothing worth a line. */
export function settingsOf(r: RecordedResource, ctx: PlanContext): string[] {
  const f = formatters[r.type];
  if (f) return f(r.inputs, r, ctx);
  if (r.type.startsWith("kubernetes:")) return kubernetesSettings(r.inputs, r);
  return [];
}
