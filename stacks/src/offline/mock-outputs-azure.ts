import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/index.js";
import type { MockCallFn, MockStateFn } from "./mock-outputs.js";
import { fakeUuid } from "./mock-outputs.js";

/**
 * Mocked outputs of azure-native, azuread and random resources and invokes: what the real providers
 * compute and the program reads (AKS OIDC issuer and kubelet identity, identity client ids, vault URI,
 * login server, FQDNs, Entra object ids, generated values, the user kubeconfig, Event Hubs keys, the Application
 * Insights connection string).
 */

type Inputs = Record<string, unknown>;
const inputsOf = (args: MockResourceArgs | MockCallArgs): Inputs => (args.inputs ?? {}) as Inputs;
const str = (v: unknown, fallback: string): string => (typeof v === "string" && v ? v : fallback);

/** The input that carries each azure-native resource's own (physical) name; `name` echoes it like ARM does. */
const physicalNameInput: Record<string, string> = {
  "azure-native:resources:ResourceGroup": "resourceGroupName",
  "azure-native:network:VirtualNetwork": "virtualNetworkName",
  "azure-native:network:Subnet": "subnetName",
  "azure-native:network:PrivateEndpoint": "privateEndpointName",
  "azure-native:network:PrivateDnsZoneGroup": "privateDnsZoneGroupName",
  "azure-native:privatedns:PrivateZone": "privateZoneName",
  "azure-native:privatedns:VirtualNetworkLink": "virtualNetworkLinkName",
  "azure-native:operationalinsights:Workspace": "workspaceName",
  "azure-native:applicationinsights:Component": "resourceName",
  "azure-native:monitor:ActionGroup": "actionGroupName",
  "azure-native:monitor:MetricAlert": "ruleName",
  "azure-native:monitor:DataCollectionRule": "dataCollectionRuleName",
  "azure-native:monitor:DataCollectionRuleAssociation": "associationName",
  "azure-native:containerservice:ManagedCluster": "resourceName",
  "azure-native:containerservice:MaintenanceConfiguration": "configName",
  "azure-native:managedidentity:UserAssignedIdentity": "resourceName",
  "azure-native:managedidentity:FederatedIdentityCredential": "federatedIdentityCredentialResourceName",
  "azure-native:containerregistry:Registry": "registryName",
  "azure-native:eventhub:Namespace": "namespaceName",
  "azure-native:eventhub:EventHub": "eventHubName",
  "azure-native:eventhub:ConsumerGroup": "consumerGroupName",
  "azure-native:eventhub:NamespaceAuthorizationRule": "authorizationRuleName",
  "azure-native:keyvault:Vault": "vaultName",
  "azure-native:keyvault:Secret": "secretName",
  "azure-native:dbforpostgresql:Server": "serverName",
  "azure-native:dbforpostgresql:Database": "databaseName",
  "azure-native:dbforpostgresql:Configuration": "configurationName",
  "azure-native:dbforpostgresql:AdministratorsMicrosoftEntra": "objectId",
  "azure-native:authorization:RoleAssignment": "roleAssignmentName",
  "azure-native:authorization:PolicyAssignment": "policyAssignmentName",
  "azure-native:authorization:RoleDefinition": "roleName",
  "azure-native:storage:StorageAccount": "accountName",
  "azure-native:storage:BlobContainer": "containerName",
  "azure-native:storage:BlobServiceProperties": "blobServicesName",
  "azure-native:keyvault:Key": "keyName",
  "azure-native:dns:Zone": "zoneName",
  "azure-native:dns:RecordSet": "relativeRecordSetName",
  "azure-native:network:PublicIPAddress": "publicIpAddressName",
};

const named = (args: MockResourceArgs): Inputs => {
  const key = physicalNameInput[args.type];
  return { name: str(key ? inputsOf(args)[key] : undefined, args.name) };
};

const perType: Record<string, MockStateFn> = {
  "azure-native:containerservice:ManagedCluster": (args) => {
    const name = str(inputsOf(args).resourceName, args.name);
    return {
      fqdn: `${name}.hcp.westeurope.azmk8s.io`,
      oidcIssuerProfile: { enabled: true, issuerURL: `https://westeurope.oic.prod-aks.azure.com/${fakeUuid("tenant")}/${fakeUuid(name)}/` },
      identityProfile: {
        kubeletidentity: {
          objectId: fakeUuid(`${name}-kubelet-object`),
          clientId: fakeUuid(`${name}-kubelet-client`),
          resourceId: `/subscriptions/${fakeUuid("subscription")}/resourceGroups/MC_${name}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}-agentpool`,
        },
      },
    };
  },
  "azure-native:managedidentity:UserAssignedIdentity": (args) => ({
    clientId: fakeUuid(`${args.name}-client`),
    principalId: fakeUuid(`${args.name}-principal`),
    tenantId: fakeUuid("tenant"),
  }),
  "azure-native:keyvault:Vault": (args) => {
    const props = (inputsOf(args).properties ?? {}) as Inputs;
    return { properties: { ...props, vaultUri: `https://${str(inputsOf(args).vaultName, args.name)}.vault.azure.net/` } };
  },
  "azure-native:containerregistry:Registry": (args) => ({ loginServer: `${str(inputsOf(args).registryName, args.name)}.azurecr.io` }),
  "azure-native:dbforpostgresql:Server": (args) => ({
    fullyQualifiedDomainName: `${str(inputsOf(args).serverName, args.name)}.postgres.database.azure.com`,
  }),
  "azure-native:eventhub:Namespace": (args) => ({
    serviceBusEndpoint: `https://${str(inputsOf(args).namespaceName, args.name)}.servicebus.windows.net:443/`,
  }),
  "azure-native:operationalinsights:Workspace": (args) => ({ customerId: fakeUuid(`${args.name}-customer`) }),
  "azure-native:keyvault:Key": (args) => {
    const key = str(inputsOf(args).keyName, args.name);
    return { keyUri: `https://${str(inputsOf(args).vaultName, "vault")}.vault.azure.net/keys/${key}` };
  },
  "azure-native:dns:Zone": () => ({
    nameServers: [1, 2, 3, 4].map((n) => `ns${n}-0${n}.azure-dns.${["com", "net", "org", "info"][n - 1]}.`),
  }),
  "azure-native:network:PublicIPAddress": (args) => {
    const h = parseInt(fakeUuid(args.name).slice(0, 4), 16);
    return { ipAddress: `20.${(h >> 8) % 256}.${h % 256}.${(h % 200) + 10}` };
  },
  // The trace collector's export target: the program stores the connection string in Key Vault.
  "azure-native:applicationinsights:Component": (args) => {
    const key = fakeUuid(`${args.name}-instrumentation`);
    return {
      instrumentationKey: key,
      appId: fakeUuid(`${args.name}-app`),
      connectionString: `InstrumentationKey=${key};IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/`,
    };
  },
  "azuread:index/group:Group": (args) => ({ objectId: fakeUuid(`${args.name}-object`) }),
  "azuread:index/application:Application": (args) => ({
    clientId: fakeUuid(`${args.name}-client`),
    objectId: fakeUuid(`${args.name}-object`),
  }),
  "azuread:index/servicePrincipal:ServicePrincipal": (args) => ({ objectId: fakeUuid(`${args.name}-sp-object`) }),
  "random:index/randomString:RandomString": (args) => ({
    result: mockRandom(args.name, Number(inputsOf(args).length ?? 8), "abcdefghijklmnopqrstuvwxyz0123456789"),
  }),
  "random:index/randomPassword:RandomPassword": (args) => ({
    result: mockRandom(args.name, Number(inputsOf(args).length ?? 16), "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_"),
  }),
};

export const azureMockState: Record<string, MockStateFn> = Object.fromEntries(
  [...new Set([...Object.keys(physicalNameInput), ...Object.keys(perType)])].map((type) => [
    type,
    (args: MockResourceArgs) => ({ ...(physicalNameInput[type] ? named(args) : {}), ...(perType[type]?.(args) ?? {}) }),
  ]),
);

/** A deterministic stand-in for a generated value (mocked runs must be reproducible). */
export function mockRandom(seed: string, length: number, alphabet: string): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += fakeUuid(`${seed}-${i}`).replace(/-/g, "");
  return [...out.slice(0, length)].map((c) => alphabet[(parseInt(c, 16) * 7) % alphabet.length]).join("");
}

/** The kubeconfig AKS returns for `listClusterUserCredential --format exec` on an Entra-only cluster. */
export function mockAksUserKubeconfig(cluster: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- cluster:",
    "    certificate-authority-data: TU9DSy1DQQ==",
    `    server: https://${cluster}.hcp.westeurope.azmk8s.io:443`,
    `  name: ${cluster}`,
    "contexts:",
    "- context:",
    `    cluster: ${cluster}`,
    `    user: clusterUser_${cluster}`,
    `  name: ${cluster}`,
    `current-context: ${cluster}`,
    "users:",
    `- name: clusterUser_${cluster}`,
    "  user:",
    "    exec:",
    "      apiVersion: client.authentication.k8s.io/v1beta1",
    "      command: kubelogin",
    "      args: [get-token, --environment, AzurePublicCloud, --server-id, 6dae42f8-4368-4678-94ff-3960e28e3630,",
    `             --client-id, 80faf920-1908-4b52-b5ef-a8e7bedfc67a, --tenant-id, ${fakeUuid("tenant")}, --login, devicecode]`,
    "      env: null",
    "",
  ].join("\n");
}

export const azureMockCalls: Record<string, MockCallFn> = {
  // Microsoft Graph's service principal, with the ids Graph publishes for its app roles (the same in every tenant).
  "azuread:index/getServicePrincipal:getServicePrincipal": (args) => ({
    clientId: str(inputsOf(args).clientId, "client"),
    objectId: fakeUuid(`sp-${str(inputsOf(args).clientId, "client")}`),
    appRoleIds: {
      "Application.ReadWrite.OwnedBy": "18a4783c-866b-4cc7-a460-3d5e5662c884",
      "User.Read.All": "df021288-bdef-4463-88db-98f22de89214",
    },
  }),
  "azure-native:authorization:getClientConfig": () => ({
    clientId: fakeUuid("client"),
    objectId: fakeUuid("object"),
    subscriptionId: fakeUuid("subscription"),
    tenantId: fakeUuid("tenant"),
  }),
  "azure-native:containerservice:listManagedClusterUserCredentials": (args) => ({
    kubeconfigs: [
      { name: "clusterUser", value: Buffer.from(mockAksUserKubeconfig(str(inputsOf(args).resourceName, "cluster"))).toString("base64") },
    ],
  }),
  "azure-native:eventhub:listNamespaceKeys": (args) => {
    const i = inputsOf(args);
    const ns = str(i.namespaceName, "namespace");
    const rule = str(i.authorizationRuleName, "rule");
    const key = (n: string) =>
      `${mockRandom(`${ns}-${rule}-${n}`, 43, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}=`;
    const cs = (k: string) => `Endpoint=sb://${ns}.servicebus.windows.net/;SharedAccessKeyName=${rule};SharedAccessKey=${k}`;
    return {
      keyName: rule,
      primaryKey: key("primary"),
      secondaryKey: key("secondary"),
      primaryConnectionString: cs(key("primary")),
      secondaryConnectionString: cs(key("secondary")),
      aliasPrimaryConnectionString: "",
      aliasSecondaryConnectionString: "",
    };
  },
};
