/**
 * The properties whose change makes a provider replace a resource (delete + create) instead of updating
 * it, per resource type the stacks create, each rule with its source. One table: the engine's mock
 * providers answer Diff from it (tools/engine), and a destructive-change guard can ask it the same
 * question about a plan diff.
 *
 * Paths: dot-separated input property names, `[]` for every element of an array. A change at a path or
 * under it replaces; so does a change of a parent object that changes the value at the path.
 *
 * Azure: azure-native replaces on the resource's URL path parameters (resource group, parents, its own
 * name) and on properties the API marks create-only (`willReplaceOnChanges` in the schema) —
 * provider/pkg/provider/diff.go. The per-type lists come from the schema's `willReplaceOnChanges`
 * markers (SCHEMA below: an export of the azure-native schema, one file per resource) unless a later
 * provider change is cited next to them. Kubernetes: pulumi-kubernetes' forceNew table (KUBE below) with
 * its defaults `enableConfigMapMutable` / `enableSecretMutable` false, which the stacks' providers keep.
 */
import { type PathStep, type PropertyChange, propertyChanges } from "./property-diff.js";

export interface ReplacementRule {
  /** Paths whose change replaces the resource. */
  readonly paths: readonly string[];
  /** `decrease`: only a smaller number replaces (a larger one is an in-place update). */
  readonly when?: "decrease";
  /** Where the rule is stated: provider schema, provider source or issue. */
  readonly source: string;
}

const SCHEMA = "https://github.com/danielrbradley/pulumi-azure-native-schema/blob/3b272d2e30a0761face63cacbe39535668353d22";
const azure = (file: string, ...paths: string[]): ReplacementRule => ({
  paths,
  source: `${SCHEMA}/${file}.yaml (willReplaceOnChanges)`,
});
const KUBE = "https://github.com/pulumi/pulumi-kubernetes/blob/94977969d/provider/pkg/provider/diff.go";
const kube = (what: string, ...paths: string[]): ReplacementRule => ({ paths, source: `${KUBE} (${what})` });
const kubeIdentity = kube("metadataForceNewProperties", "metadata.name", "metadata.namespace");
const RANDOM = "https://github.com/hashicorp/terraform-provider-random/blob/main/internal/provider";
const randomString = (file: string): ReplacementRule => ({
  paths: [
    "keepers",
    "length",
    "special",
    "upper",
    "lower",
    "number",
    "numeric",
    "minNumeric",
    "minUpper",
    "minLower",
    "minSpecial",
    "overrideSpecial",
  ],
  source: `${RANDOM}/${file} (every argument RequiresReplace / ForceNew)`,
});
const AZUREAD = "https://github.com/hashicorp/terraform-provider-azuread/blob/f0169e0ec/internal/services";

export const replacementRules: Readonly<Record<string, readonly ReplacementRule[]>> = {
  "azure-native:resources:ResourceGroup": [azure("resources/resources/ResourceGroup", "location", "resourceGroupName")],
  "azure-native:network:VirtualNetwork": [azure("network/resources/VirtualNetwork", "location", "resourceGroupName", "virtualNetworkName")],
  "azure-native:network:Subnet": [azure("network/resources/Subnet", "resourceGroupName", "subnetName", "virtualNetworkName")],
  "azure-native:network:PrivateEndpoint": [azure("network/resources/PrivateEndpoint", "privateEndpointName", "resourceGroupName")],
  "azure-native:network:PrivateDnsZoneGroup": [
    azure("network/resources/PrivateDnsZoneGroup", "privateDnsZoneGroupName", "privateEndpointName", "resourceGroupName"),
  ],
  // v2 called these network:PrivateZone and network:VirtualNetworkLink (API 2020-06-01).
  "azure-native:privatedns:PrivateZone": [azure("network/resources/PrivateZone", "location", "privateZoneName", "resourceGroupName")],
  "azure-native:privatedns:VirtualNetworkLink": [
    azure("network/v20200601/resources/VirtualNetworkLink", "location", "privateZoneName", "resourceGroupName", "virtualNetworkLinkName"),
  ],
  "azure-native:operationalinsights:Workspace": [
    azure("operationalinsights/resources/Workspace", "location", "resourceGroupName", "workspaceName"),
  ],
  // v2 called these insights:DataCollectionRule(Association).
  "azure-native:monitor:DataCollectionRule": [
    azure("insights/resources/DataCollectionRule", "dataCollectionRuleName", "location", "resourceGroupName"),
  ],
  "azure-native:monitor:DataCollectionRuleAssociation": [
    azure("insights/resources/DataCollectionRuleAssociation", "associationName", "resourceUri"),
  ],
  // v2 called it insights:Component (API 2020-02-02).
  "azure-native:applicationinsights:Component": [
    azure("insights/resources/Component", "applicationType", "location", "resourceGroupName", "resourceName"),
  ],
  // v2 called these insights:ActionGroup and insights:MetricAlert.
  "azure-native:monitor:ActionGroup": [azure("insights/resources/ActionGroup", "actionGroupName", "location", "resourceGroupName")],
  "azure-native:monitor:MetricAlert": [azure("insights/resources/MetricAlert", "location", "resourceGroupName", "ruleName")],
  "azure-native:containerservice:ManagedCluster": [
    azure(
      "containerservice/resources/ManagedCluster",
      "resourceGroupName",
      "resourceName",
      "location",
      "dnsPrefix",
      "fqdnSubdomain",
      "diskEncryptionSetID",
      "linuxProfile",
      "nodeResourceGroup",
      "windowsProfile",
    ),
    azure("containerservice/types/ManagedClusterIdentity", "identity.type"),
    azure("containerservice/types/ManagedClusterSKU", "sku.name"),
    {
      // Only these leaves since pulumi-azure-native#4771 (the whole networkProfile before).
      paths: [
        "networkProfile.serviceCidr",
        "networkProfile.serviceCidrs",
        "networkProfile.dnsServiceIP",
        "networkProfile.networkMode",
        "networkProfile.networkPlugin",
        "networkProfile.networkPluginMode",
        "networkProfile.podCidr",
        "networkProfile.networkDataplane",
        "networkProfile.networkPolicy",
        "networkProfile.outboundType",
      ],
      source: "https://github.com/pulumi/pulumi-azure-native/pull/4771",
    },
    // agentPoolProfiles[] no longer replaces the cluster: https://github.com/pulumi/pulumi-azure-native/pull/2774
  ],
  "azure-native:containerservice:MaintenanceConfiguration": [
    azure("containerservice/resources/MaintenanceConfiguration", "configName", "resourceGroupName", "resourceName"),
  ],
  "azure-native:managedidentity:UserAssignedIdentity": [
    azure("managedidentity/resources/UserAssignedIdentity", "location", "resourceGroupName", "resourceName"),
  ],
  "azure-native:managedidentity:FederatedIdentityCredential": [
    azure(
      "managedidentity/resources/FederatedIdentityCredential",
      "federatedIdentityCredentialResourceName",
      "resourceGroupName",
      "resourceName",
    ),
  ],
  "azure-native:containerregistry:Registry": [
    azure("containerregistry/resources/Registry", "location", "registryName", "resourceGroupName"),
  ],
  "azure-native:eventhub:Namespace": [azure("eventhub/resources/Namespace", "location", "namespaceName", "resourceGroupName")],
  "azure-native:eventhub:EventHub": [azure("eventhub/resources/EventHub", "eventHubName", "namespaceName", "resourceGroupName")],
  "azure-native:eventhub:ConsumerGroup": [
    azure("eventhub/resources/ConsumerGroup", "consumerGroupName", "eventHubName", "namespaceName", "resourceGroupName"),
  ],
  "azure-native:eventhub:NamespaceAuthorizationRule": [
    azure("eventhub/resources/NamespaceAuthorizationRule", "authorizationRuleName", "namespaceName", "resourceGroupName"),
  ],
  "azure-native:keyvault:Vault": [azure("keyvault/resources/Vault", "resourceGroupName", "vaultName")],
  "azure-native:keyvault:Secret": [azure("keyvault/resources/Secret", "resourceGroupName", "secretName", "vaultName")],
  // No stack creates a key yet; the destructive-change guard (stacks/src/protection.ts) covers keys already.
  "azure-native:keyvault:Key": [azure("keyvault/resources/Key", "keyName", "resourceGroupName", "vaultName")],
  "azure-native:dbforpostgresql:Server": [
    azure(
      "dbforpostgresql/resources/Server",
      "administratorLogin",
      "availabilityZone",
      "location",
      "network",
      "pointInTimeUTC",
      "resourceGroupName",
      "serverName",
      "sourceServerResourceId",
    ),
  ],
  "azure-native:dbforpostgresql:Database": [azure("dbforpostgresql/resources/Database", "databaseName", "resourceGroupName", "serverName")],
  "azure-native:dbforpostgresql:Configuration": [
    azure("dbforpostgresql/resources/Configuration", "configurationName", "resourceGroupName", "serverName"),
  ],
  // v2 called it dbforpostgresql:Administrator.
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": [
    azure("dbforpostgresql/resources/Administrator", "objectId", "resourceGroupName", "serverName"),
  ],
  "azure-native:authorization:RoleAssignment": [
    azure("authorization/resources/RoleAssignment", "principalId", "roleAssignmentName", "scope"),
  ],
  "azure-native:authorization:PolicyAssignment": [azure("authorization/resources/PolicyAssignment", "policyAssignmentName", "scope")],
  "azure-native:authorization:RoleDefinition": [azure("authorization/resources/RoleDefinition", "roleDefinitionId", "scope")],
  "azure-native:storage:StorageAccount": [
    azure("storage/resources/StorageAccount", "accountName", "isHnsEnabled", "location", "resourceGroupName"),
  ],
  "azure-native:storage:BlobContainer": [azure("storage/resources/BlobContainer", "accountName", "containerName", "resourceGroupName")],
  "azure-native:storage:BlobServiceProperties": [
    azure("storage/resources/BlobServiceProperties", "accountName", "blobServicesName", "resourceGroupName"),
  ],
  // The schema export predates v3, which moved DNS from the network module to dns: same resource, same rules.
  "azure-native:dns:Zone": [azure("network/resources/Zone", "location", "resourceGroupName", "zoneName")],
  "azure-native:dns:RecordSet": [
    azure("network/resources/RecordSet", "recordType", "relativeRecordSetName", "resourceGroupName", "zoneName"),
  ],
  "azure-native:network:PublicIPAddress": [
    azure(
      "network/resources/PublicIPAddress",
      "location",
      "publicIPAddressVersion",
      "publicIPPrefix",
      "publicIpAddressName",
      "resourceGroupName",
      "sku",
    ),
  ],
  "time:index/sleep:Sleep": [
    {
      paths: ["triggers"],
      source:
        "https://github.com/hashicorp/terraform-provider-time/blob/main/internal/provider/resource_time_sleep.go (triggers RequiresReplace)",
    },
  ],

  "azuread:index/appRoleAssignment:AppRoleAssignment": [
    {
      paths: ["appRoleId", "principalObjectId", "resourceObjectId"],
      source: `${AZUREAD}/approleassignments/app_role_assignment_resource.go (ForceNew)`,
    },
  ],
  "azuread:index/application:Application": [
    { paths: ["templateId"], source: `${AZUREAD}/applications/application_resource.go (ForceNew)` },
  ],
  "azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential": [
    {
      paths: ["applicationId", "displayName"],
      source: `${AZUREAD}/applications/application_federated_identity_credential_resource.go (ForceNew)`,
    },
  ],
  "azuread:index/group:Group": [
    {
      paths: ["assignableToRole", "behaviors", "mailNickname", "provisioningOptions", "types"],
      source: `${AZUREAD}/groups/group_resource.go (ForceNew)`,
    },
  ],
  "azuread:index/servicePrincipal:ServicePrincipal": [
    { paths: ["clientId"], source: `${AZUREAD}/serviceprincipals/service_principal_resource.go (ForceNew)` },
  ],
  "azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant": [
    {
      paths: ["resourceServicePrincipalObjectId", "servicePrincipalObjectId", "userObjectId"],
      source: `${AZUREAD}/serviceprincipals/service_principal_delegated_permission_grant_resource.go (ForceNew)`,
    },
  ],

  "random:index/randomPassword:RandomPassword": [randomString("resource_password.go")],
  "random:index/randomString:RandomString": [randomString("resource_string.go")],
  "random:index/randomBytes:RandomBytes": [{ paths: ["keepers", "length"], source: `${RANDOM}/resource_bytes.go (RequiresReplace)` }],

  "kafka:index/topic:Topic": [
    {
      paths: ["name", "replicationFactor"],
      source: "https://github.com/Mongey/terraform-provider-kafka/blob/master/kafka/resource_kafka_topic.go (ForceNew)",
    },
    {
      paths: ["partitions"],
      when: "decrease",
      source: "https://github.com/Mongey/terraform-provider-kafka/blob/master/kafka/resource_kafka_topic.go (customPartitionDiff)",
    },
  ],

  // Every change rebuilds the image in place.
  "docker-build:index:Image": [],

  "kubernetes:apps/v1:Deployment": [kubeIdentity, kube("deployment", "spec.selector")],
  "kubernetes:apps/v1:StatefulSet": [
    kubeIdentity,
    kube(
      "statefulSet",
      "spec.podManagementPolicy",
      "spec.revisionHistoryLimit",
      "spec.selector",
      "spec.serviceName",
      "spec.volumeClaimTemplates",
    ),
  ],
  "kubernetes:batch/v1:Job": [kubeIdentity, kube("job", "spec.completions", "spec.parallelism", "spec.selector", "spec.template")],
  "kubernetes:core/v1:ConfigMap": [kubeIdentity, kube("ConfigMap unless enableConfigMapMutable", "binaryData", "data")],
  "kubernetes:core/v1:Secret": [kubeIdentity, kube("Secret unless enableSecretMutable", "type", "stringData", "data")],
  "kubernetes:core/v1:Service": [kubeIdentity, kube("Service", "spec.clusterIP")],
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": [kubeIdentity, kube("roleBinding", "roleRef")],
  "kubernetes:storage.k8s.io/v1:StorageClass": [kubeIdentity, kube("StorageClass", "parameters", "provisioner")],
  "kubernetes:helm.sh/v3:Release": [
    {
      paths: ["name", "namespace"],
      source: "https://github.com/pulumi/pulumi-kubernetes/blob/94977969d/provider/pkg/provider/helm_release.go (forceNewFields)",
    },
  ],
  // Every other Kubernetes kind (Namespace, NetworkPolicy, Ingress, policy/v1 PDB, CRDs…): its identity only.
  "kubernetes:*": [kubeIdentity],
};

/** The rules for a resource type; unknown types have none. */
export function rulesFor(type: string): readonly ReplacementRule[] {
  return replacementRules[type] ?? (type.startsWith("kubernetes:") ? (replacementRules["kubernetes:*"] ?? []) : []);
}

type Step = string | "[]";
const parseRulePath = (p: string): Step[] =>
  p.split(/\.|(?=\[\])/).flatMap((s) => (s === "[]" ? ["[]"] : s.startsWith("[]") ? ["[]", s.slice(2)] : [s]));

/** The first `n` steps of a concrete path match the rule's (`[]` matches any index). */
const stepsMatch = (change: readonly PathStep[], rule: readonly Step[], n: number): boolean =>
  rule.slice(0, n).every((s, i) => (s === "[]" ? typeof change[i] === "number" : s === change[i]));

/** Values at a rule path inside a value, `[]` expanded (missing members yield undefined). */
function valuesAt(value: unknown, rule: readonly Step[]): unknown[] {
  if (rule.length === 0) return [value];
  const [head, ...rest] = rule;
  if (head === "[]") return Array.isArray(value) ? value.flatMap((v) => valuesAt(v, rest)) : [undefined];
  const next = value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>)[head!] : undefined;
  return valuesAt(next, rest);
}

function ruleMatches(change: PropertyChange, rule: ReplacementRule, path: string): boolean {
  const steps = parseRulePath(path);
  if (steps.length <= change.path.length && stepsMatch(change.path, steps, steps.length)) {
    if (rule.when !== "decrease") return true;
    return typeof change.old === "number" && typeof change.new === "number" && change.new < change.old;
  }
  // A parent object was added, removed or replaced: does the value at the rule's path differ?
  if (steps.length > change.path.length && stepsMatch(change.path, steps, change.path.length)) {
    const rest = steps.slice(change.path.length);
    return JSON.stringify(valuesAt(change.old, rest)) !== JSON.stringify(valuesAt(change.new, rest));
  }
  return false;
}

export interface Replacement {
  readonly change: PropertyChange;
  /** The rule path that matched. */
  readonly path: string;
  readonly source: string;
}

/** The changes between two input bags that replace a resource of this type, each with the rule that says so. */
export function replacingChanges(type: string, olds: unknown, news: unknown): Replacement[] {
  const rules = rulesFor(type);
  const out: Replacement[] = [];
  for (const change of propertyChanges(olds, news)) {
    for (const rule of rules) {
      const path = rule.paths.find((p) => ruleMatches(change, rule, p));
      if (path) {
        out.push({ change, path, source: rule.source });
        break;
      }
    }
  }
  return out;
}
