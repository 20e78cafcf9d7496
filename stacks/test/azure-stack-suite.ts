/** The Azure foundation assertions of an AKS stack (dev, prod) under mocks; each stack's test file runs it once. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import {
  allBrokerTopics,
  allServices,
  databaseRole,
  platformSecretNames,
  secretNames,
  serviceAccounts,
  servicesWithDatabase,
} from "@tasks/catalog";
import { builtInRoles, postgresChildTimeouts, subnetLayout } from "@tasks/infra/azure/index";
import { runStackMocked, type MockedRun, type RecordedResource } from "../src/offline/mocked-run.js";
import { loadStackConfig } from "../src/offline/stack-config.js";

type Obj = Record<string, unknown>;
const get = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);

const secretSig = ["4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"] as const;
const isSecretEnvelope = (v: unknown): boolean => get(v, secretSig[0]) === secretSig[1];
const unwrap = (v: unknown): unknown => (isSecretEnvelope(v) ? get(v, "value") : v);

/** Azure resource types that take tags; every one of them must carry the standard tags. */
const taggableTypes = [
  "azure-native:network:VirtualNetwork",
  "azure-native:network:PrivateEndpoint",
  "azure-native:privatedns:PrivateZone",
  "azure-native:privatedns:VirtualNetworkLink",
  "azure-native:operationalinsights:Workspace",
  "azure-native:monitor:DataCollectionRule",
  "azure-native:containerservice:ManagedCluster",
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:network:PublicIPAddress",
  "azure-native:eventhub:Namespace",
  "azure-native:keyvault:Vault",
  "azure-native:keyvault:Secret",
  "azure-native:dbforpostgresql:Server",
];

export function azureStackSuite(stack: "dev" | "prod"): void {
  const { config } = loadStackConfig(stack);
  const cfg = (key: string): Obj => JSON.parse(config[`tasks-platform:${key}`] ?? "null") as Obj;
  const plain = (key: string): string => String(config[`tasks-platform:${key}`]);
  const allowed = cfg("allowedIpRanges") as unknown as string[];

  describe(`${stack} stack: Azure foundation (mocked)`, () => {
    let run: MockedRun;
    const ofType = (type: string): RecordedResource[] => run.resources.filter((r) => r.type === type);
    const one = (type: string, name?: string): RecordedResource => {
      const found = ofType(type).filter((r) => name === undefined || r.name === name);
      assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
      return found[0]!;
    };
    const idOf = (r: RecordedResource): string => `${r.name}-id`;
    const roleAssignments = (role: keyof typeof builtInRoles) =>
      ofType("azure-native:authorization:RoleAssignment").filter((r) =>
        String(r.inputs.roleDefinitionId).endsWith(`/roleDefinitions/${builtInRoles[role]}`),
      );

    before(async () => {
      run = await runStackMocked(stack);
    });

    it("puts every node pool on zones 1, 2 and 3 with the autoscaler; the system pool is tainted CriticalAddonsOnly", () => {
      const aks = one("azure-native:containerservice:ManagedCluster");
      const pools = aks.inputs.agentPoolProfiles as Obj[];
      assert.deepEqual(pools.map((p) => p.mode).sort(), ["System", "User"]);
      for (const p of pools) {
        assert.deepEqual(p.availabilityZones, ["1", "2", "3"], `pool ${String(p.name)}`);
        assert.equal(p.enableAutoScaling, true);
      }
      const sys = pools.find((p) => p.mode === "System")!;
      const user = pools.find((p) => p.mode === "User")!;
      assert.deepEqual(sys.nodeTaints, ["CriticalAddonsOnly=true:NoSchedule"]);
      const a = cfg("aks");
      assert.deepEqual([sys.vmSize, sys.minCount, sys.maxCount], [a.systemVmSize, a.systemNodeCount, a.systemNodeMaxCount]);
      assert.deepEqual([user.vmSize, user.minCount, user.maxCount], [a.userVmSize, a.userNodeMinCount, a.userNodeMaxCount]);
      assert.deepEqual(aks.ignoreChanges, ["agentPoolProfiles[*].count"]);
    });

    it("runs AKS with Entra ID + Azure RBAC and no local accounts, OIDC issuer and workload identity", () => {
      const aks = one("azure-native:containerservice:ManagedCluster").inputs;
      assert.equal(aks.disableLocalAccounts, true);
      assert.equal(get(aks, "aadProfile", "managed"), true);
      assert.equal(get(aks, "aadProfile", "enableAzureRBAC"), true);
      // The admins group is the bootstrap stack's: the stack reads its object id from config and creates no Entra object.
      assert.deepEqual(get(aks, "aadProfile", "adminGroupObjectIDs"), [get(cfg("bootstrap"), "aksAdminsGroup", "objectId")]);
      // Its only Entra objects are the sign-in registrations (issue 14: API + SPA; issue 17: MCP server + its public
      // client), under the sign-in components: the deployer's Graph right is Application.ReadWrite.OwnedBy from the
      // bootstrap (issue 24, item 8), nothing wider.
      const signIn = run.resources.filter(
        (r) => r.type === "tasks:azure:TasksApiRegistration" || r.type === "tasks:azure:McpServerRegistration",
      );
      const entra = run.resources.filter((r) => r.type.startsWith("azuread:"));
      assert.deepEqual(entra.map((r) => r.type).sort(), [
        ...Array<string>(4).fill("azuread:index/application:Application"),
        ...Array<string>(4).fill("azuread:index/servicePrincipal:ServicePrincipal"),
      ]);
      assert.equal(signIn.length, 2, "the sign-in registration components");
      const under = (urn: string | undefined): boolean =>
        signIn.some((c) => c.urn === urn) || (!!urn && under(run.resources.find((x) => x.urn === urn)?.parent));
      for (const r of entra) assert.ok(under(r.parent), `${r.name} belongs to the sign-in registrations`);
      assert.equal(get(aks, "oidcIssuerProfile", "enabled"), true);
      assert.equal(get(aks, "securityProfile", "workloadIdentity", "enabled"), true);
      assert.equal(get(aks, "sku", "tier"), cfg("aks").tier);
      assert.equal(get(aks, "sku", "tier"), "Standard");
    });

    it("uses Azure CNI overlay with network policy, and restricts the API server to the allowed ranges", () => {
      const aks = one("azure-native:containerservice:ManagedCluster").inputs;
      assert.equal(get(aks, "networkProfile", "networkPlugin"), "azure");
      assert.equal(get(aks, "networkProfile", "networkPluginMode"), "overlay");
      assert.equal(get(aks, "networkProfile", "networkPolicy"), "cilium");
      assert.deepEqual(get(aks, "apiServerAccessProfile", "authorizedIPRanges"), allowed);
      const layout = subnetLayout(String(cfg("network").addressSpace));
      const nodes = one("azure-native:network:Subnet", `tasks-${stack}-network-aks-nodes`);
      assert.equal(nodes.inputs.addressPrefix, layout.aksNodes);
      for (const p of get(aks, "agentPoolProfiles") as Obj[]) assert.equal(p.vnetSubnetID, idOf(nodes));
      assert.equal(
        get(one("azure-native:network:Subnet", `tasks-${stack}-network-postgres`).inputs, "delegations", 0, "serviceName"),
        "Microsoft.DBforPostgreSQL/flexibleServers",
      );
    });

    it("auto-upgrades inside the configured weekly maintenance window", () => {
      const a = cfg("aks");
      const aks = one("azure-native:containerservice:ManagedCluster").inputs;
      assert.deepEqual(get(aks, "autoUpgradeProfile"), { upgradeChannel: a.upgradeChannel, nodeOSUpgradeChannel: a.nodeOsUpgradeChannel });
      const windows = ofType("azure-native:containerservice:MaintenanceConfiguration");
      assert.deepEqual(windows.map((w) => w.inputs.configName).sort(), [
        "aksManagedAutoUpgradeSchedule",
        "aksManagedNodeOSUpgradeSchedule",
      ]);
      const w = a.maintenanceWindow as Obj;
      for (const m of windows) {
        assert.deepEqual(get(m.inputs, "maintenanceWindow", "schedule"), { weekly: { dayOfWeek: w.dayOfWeek, intervalWeeks: 1 } });
        assert.equal(get(m.inputs, "maintenanceWindow", "startTime"), w.startTime);
        assert.equal(get(m.inputs, "maintenanceWindow", "durationHours"), w.durationHours);
      }
    });

    it("enables Container Insights, Azure Policy and the Key Vault secrets provider with rotation (the monitoring pods mount it)", () => {
      const aks = one("azure-native:containerservice:ManagedCluster");
      const addons = aks.inputs.addonProfiles as Obj;
      const workspace = one("azure-native:operationalinsights:Workspace");
      assert.equal(get(addons, "omsagent", "enabled"), true);
      assert.equal(get(addons, "omsagent", "config", "logAnalyticsWorkspaceResourceID"), idOf(workspace));
      // Alertmanager and the trace collector mount their Key Vault secrets through the add-on's CSI driver.
      assert.equal(get(addons, "azureKeyvaultSecretsProvider", "enabled"), true);
      assert.equal(get(addons, "azureKeyvaultSecretsProvider", "config", "enableSecretRotation"), "true");
      assert.equal(get(addons, "azurepolicy", "enabled"), true);
      assert.equal(workspace.inputs.retentionInDays, cfg("logAnalytics").retentionDays);
      const dcra = one("azure-native:monitor:DataCollectionRuleAssociation");
      assert.equal(dcra.inputs.resourceUri, idOf(aks));
      assert.equal(dcra.inputs.dataCollectionRuleId, idOf(one("azure-native:monitor:DataCollectionRule")));
      // Governance is the bootstrap stack's: the deployer cannot write policy assignments (issue 24, item 8).
      assert.deepEqual(ofType("azure-native:authorization:PolicyAssignment"), []);
    });

    it("assigns only the roles its deployer may assign: AcrPull, Key Vault Secrets User, Network Contributor", () => {
      const allowedRoles = new Set<string>([builtInRoles.acrPull, builtInRoles.keyVaultSecretsUser, builtInRoles.networkContributor]);
      const assigned = ofType("azure-native:authorization:RoleAssignment").map((r) => String(r.inputs.roleDefinitionId).split("/").pop()!);
      assert.ok(assigned.length > 0);
      assert.deepEqual(
        assigned.filter((g) => !allowedRoles.has(g)),
        [],
      );
    });

    it("grants AcrPull on the bootstrap stack's registry to the kubelet identity, with a private endpoint for Premium", () => {
      const registry = cfg("bootstrap").registry as Obj;
      const registryId =
        `/subscriptions/${String(run.outputs.subscriptionId)}/resourceGroups/${String(get(cfg("bootstrap"), "resourceGroupName"))}` +
        `/providers/Microsoft.ContainerRegistry/registries/${String(registry.name)}`;
      assert.deepEqual(ofType("azure-native:containerregistry:Registry"), [], "the registry is the bootstrap stack's");
      const kubelet = get(one("azure-native:containerservice:ManagedCluster").state, "identityProfile", "kubeletidentity", "objectId");
      assert.deepEqual(
        roleAssignments("acrPull").map((r) => [r.inputs.principalId, r.inputs.scope]),
        [[kubelet, registryId]],
      );
      assert.equal(run.outputs.acrLoginServer, `${String(registry.name)}.azurecr.io`);
      const pe = ofType("azure-native:network:PrivateEndpoint").filter(
        (e) => get(e.inputs, "privateLinkServiceConnections", 0, "privateLinkServiceId") === registryId,
      );
      assert.equal(pe.length, registry.sku === "Premium" ? 1 : 0);
    });

    it("owns the ingress's static public IP and the DNS record that aliases it (issue 24, item 6)", () => {
      const ip = one("azure-native:network:PublicIPAddress");
      assert.deepEqual(
        [ip.inputs.publicIPAllocationMethod, get(ip.inputs, "sku", "name"), ip.inputs.zones],
        ["Static", "Standard", ["1", "2", "3"]],
      );
      const zone = cfg("bootstrap").dnsZone as Obj;
      const record = one("azure-native:dns:RecordSet");
      const host = plain("domain");
      assert.deepEqual(
        [record.inputs.zoneName, record.inputs.resourceGroupName, record.inputs.recordType, record.inputs.relativeRecordSetName],
        [zone.name, zone.resourceGroupName, "A", host.slice(0, -String(zone.name).length - 1)],
      );
      assert.deepEqual(record.inputs.targetResource, { id: idOf(ip) }, "an alias record: it follows the IP resource");
      // The AKS control plane may attach the IP to its load balancer.
      const controlPlane = ofType("azure-native:managedidentity:UserAssignedIdentity").find((i) => i.name.endsWith("-aks-control-plane"))!;
      assert.deepEqual(
        roleAssignments("networkContributor")
          .filter((r) => r.inputs.scope === idOf(ip))
          .map((r) => r.inputs.principalId),
        [controlPlane.state.principalId],
      );
      assert.equal(run.outputs.ingressAddress, ip.state.ipAddress);
    });

    it("runs Event Hubs with Kafka, TLS 1.2, zone redundancy and the configured tier", () => {
      const ns = one("azure-native:eventhub:Namespace");
      const e = cfg("eventHubs");
      assert.equal(ns.inputs.kafkaEnabled, true);
      assert.equal(ns.inputs.minimumTlsVersion, "1.2");
      assert.equal(ns.inputs.zoneRedundant, true);
      assert.deepEqual(ns.inputs.sku, { name: e.sku, tier: e.sku, capacity: e.capacity });
      assert.equal(ns.inputs.publicNetworkAccess, "Disabled");
      const rules = ofType("azure-native:eventhub:NamespaceAuthorizationRule");
      assert.deepEqual(rules.map((r) => [r.inputs.authorizationRuleName, r.inputs.rights]).sort(), [
        ["dapr-pubsub", ["Listen", "Send"]],
        ["lag-reader", ["Listen"]],
      ]);
    });

    it("creates an event hub for every catalog topic and its dead-letter topic, with the catalog's partitions and retention", () => {
      const hubs = ofType("azure-native:eventhub:EventHub");
      const expected = allBrokerTopics();
      assert.deepEqual(hubs.map((h) => h.inputs.eventHubName).sort(), expected.map((t) => t.name).sort());
      for (const t of expected) {
        const hub = hubs.find((h) => h.inputs.eventHubName === t.name)!;
        assert.equal(hub.inputs.partitionCount, t.partitions, t.name);
        assert.equal(get(hub.inputs, "retentionDescription", "retentionTimeInHours"), t.retentionDays * 24, t.name);
      }
      assert.ok(expected.some((t) => t.deadLetterOf) && expected.some((t) => !t.deadLetterOf));
    });

    it("creates no Event Hubs consumer group: the Kafka clients' groups (the app ids) are created on first use", () => {
      assert.deepEqual(ofType("azure-native:eventhub:ConsumerGroup"), []);
    });

    it("protects Key Vault: RBAC, soft delete with purge protection, firewall deny except the allowed ranges, private endpoint", () => {
      const vault = one("azure-native:keyvault:Vault");
      const p = vault.inputs.properties as Obj;
      assert.equal(p.enableRbacAuthorization, true);
      assert.equal(p.enableSoftDelete, true);
      assert.equal(p.enablePurgeProtection, true);
      assert.equal(p.softDeleteRetentionInDays, cfg("keyVault").softDeleteRetentionDays);
      assert.equal(get(p, "networkAcls", "defaultAction"), "Deny");
      assert.deepEqual(
        get(p, "networkAcls", "ipRules"),
        allowed.map((value) => ({ value })),
      );
      const pe = ofType("azure-native:network:PrivateEndpoint").find(
        (e) => get(e.inputs, "privateLinkServiceConnections", 0, "privateLinkServiceId") === idOf(vault),
      );
      assert.deepEqual(get(pe?.inputs, "privateLinkServiceConnections", 0, "groupIds"), ["vault"]);
    });

    it("stores the catalog's secrets in Key Vault, every value as a secret", () => {
      const secrets = ofType("azure-native:keyvault:Secret");
      const expected = [
        secretNames.eventHubsConnectionString,
        secretNames.smtpUsername,
        secretNames.smtpPassword,
        secretNames.vapidPublicKey,
        secretNames.vapidPrivateKey,
        ...servicesWithDatabase().map((s) => secretNames.databaseUrl(s.name)),
        ...Object.values(platformSecretNames),
      ];
      assert.deepEqual(secrets.map((s) => s.inputs.secretName).sort(), [...expected].sort());
      // Pulumi marks the whole `properties` object secret when one of its values is.
      for (const s of secrets) assert.ok(isSecretEnvelope(s.inputs.properties), `${String(s.inputs.secretName)} is not secret`);
      const valueOf = (name: string): string =>
        String(get(unwrap(secrets.find((s) => s.inputs.secretName === name)!.inputs.properties), "value"));
      const url = valueOf(secretNames.databaseUrl("tasks-api"));
      assert.match(url, /^postgres:\/\/tasks_api_svc:[^@]+@tasks-.+\.postgres\.database\.azure\.com:5432\/tasks\?sslmode=require$/);
      // Each service logs in as its own role with its own password, never as the administrator.
      const logins = servicesWithDatabase().map((s) => new URL(valueOf(secretNames.databaseUrl(s.name))));
      assert.deepEqual(
        logins.map((u) => [u.username, u.pathname]),
        servicesWithDatabase().map((s) => [databaseRole(s.name), `/${s.database}`]),
      );
      assert.equal(new Set(logins.map((u) => u.password)).size, logins.length, "one password per role");
      const admin = one("azure-native:dbforpostgresql:Server");
      const adminPassword = String(unwrap(admin.inputs.administratorLoginPassword));
      for (const u of logins)
        assert.ok(
          u.username !== admin.inputs.administratorLogin && u.username !== "tasksadmin" && decodeURIComponent(u.password) !== adminPassword,
          `${u.pathname} uses the admin login`,
        );
      assert.match(valueOf(secretNames.vapidPublicKey), /^[A-Za-z0-9_-]{87}$/, "an uncompressed P-256 point, base64url");
      assert.match(valueOf(secretNames.eventHubsConnectionString), /^Endpoint=sb:\/\/.+;SharedAccessKeyName=dapr-pubsub;/);
    });

    it("runs Postgres 16+ with TLS required, Entra auth, backups, the configured HA and one database per service", () => {
      const server = one("azure-native:dbforpostgresql:Server");
      const pg = cfg("postgres");
      assert.ok(Number(server.inputs.version) >= 16);
      assert.equal(get(server.inputs, "highAvailability", "mode"), pg.highAvailability);
      if (stack === "prod") assert.equal(get(server.inputs, "highAvailability", "mode"), "ZoneRedundant");
      assert.equal(get(server.inputs, "backup", "backupRetentionDays"), pg.backupRetentionDays);
      assert.equal(get(server.inputs, "authConfig", "activeDirectoryAuth"), "Enabled");
      assert.equal(get(server.inputs, "network", "publicNetworkAccess"), "Disabled");
      assert.ok(isSecretEnvelope(server.inputs.administratorLoginPassword));
      const tls = one("azure-native:dbforpostgresql:Configuration");
      assert.deepEqual([tls.inputs.configurationName, tls.inputs.value], ["require_secure_transport", "ON"]);
      // Azure moves the zones on failover and grows the storage: the program leaves them be (issue 24, item 12).
      assert.deepEqual(server.ignoreChanges, ["availabilityZone", "highAvailability.standbyAvailabilityZone", "storage.storageSizeGB"]);
      assert.deepEqual(
        ofType("azure-native:dbforpostgresql:Database")
          .map((d) => d.inputs.databaseName)
          .sort(),
        servicesWithDatabase()
          .map((s) => s.database)
          .sort(),
      );
      assert.equal(
        one("azure-native:dbforpostgresql:AdministratorsMicrosoftEntra").inputs.objectId,
        get(cfg("bootstrap"), "aksAdminsGroup", "objectId"),
      );
    });

    it("applies the server's children one at a time after it settles, with room for ServerIsBusy (issue 24, item 7)", () => {
      const server = one("azure-native:dbforpostgresql:Server");
      const settle = run.resources.find((r) => r.type === "time:index/sleep:Sleep" && r.parent === server.urn);
      assert.ok(settle, "a settle wait under the server");
      const chain = [
        one("azure-native:dbforpostgresql:Configuration"),
        one("azure-native:dbforpostgresql:AdministratorsMicrosoftEntra"),
        ...ofType("azure-native:dbforpostgresql:Database"),
      ];
      assert.equal(chain.length, 2 + servicesWithDatabase().length);
      // Each waits for the one before it: never two changes at once on the server.
      assert.ok(chain[0]!.dependsOn.includes(settle.urn), "TLS setting after the settle wait");
      for (let i = 1; i < chain.length; i++)
        assert.ok(chain[i]!.dependsOn.includes(chain[i - 1]!.urn), `${chain[i]!.name} waits for ${chain[i - 1]!.name}`);
      for (const child of chain) assert.equal(child.parent, server.urn);
      assert.deepEqual(postgresChildTimeouts, { create: "30m", update: "30m", delete: "30m" });
    });

    it("gives every service a workload identity federated with its service account, with Key Vault Secrets User on the vault only", () => {
      const issuer = get(one("azure-native:containerservice:ManagedCluster").state, "oidcIssuerProfile", "issuerURL");
      const creds = ofType("azure-native:managedidentity:FederatedIdentityCredential").filter((c) =>
        String(c.inputs.subject).startsWith(`system:serviceaccount:${serviceAccounts.namespace}:`),
      );
      assert.deepEqual(
        creds.map((c) => c.inputs.subject).sort(),
        allServices.map((s) => `system:serviceaccount:${serviceAccounts.namespace}:${s.name}`).sort(),
      );
      for (const c of creds) {
        assert.equal(c.inputs.issuer, issuer);
        assert.deepEqual(c.inputs.audiences, ["api://AzureADTokenExchange"]);
      }
      const vault = one("azure-native:keyvault:Vault");
      const identities = ofType("azure-native:managedidentity:UserAssignedIdentity").filter((i) =>
        allServices.some((s) => i.name.endsWith(`-workload-${s.name}`)),
      );
      assert.equal(identities.length, allServices.length);
      for (const i of identities) {
        const roles = ofType("azure-native:authorization:RoleAssignment").filter((r) => r.inputs.principalId === i.state.principalId);
        assert.deepEqual(
          roles.map((r) => [String(r.inputs.roleDefinitionId).split("/").pop(), r.inputs.scope]),
          [[builtInRoles.keyVaultSecretsUser, idOf(vault)]],
          i.name,
        );
      }
      const ids = run.outputs.workloadIdentityClientIds as Record<string, string>;
      assert.deepEqual(Object.keys(ids).sort(), allServices.map((s) => s.name).sort());
    });

    it("makes the workloads wait until their identities' Key Vault roles and federated credentials have propagated (item 19)", () => {
      const wait = run.resources.find((r) => r.type === "time:index/sleep:Sleep" && r.name.endsWith("-workload-propagation"));
      assert.ok(wait);
      const grants = [...ofType("azure-native:managedidentity:FederatedIdentityCredential"), ...roleAssignments("keyVaultSecretsUser")];
      // Each service's credential and role; monitoring's two credentials (Alertmanager, trace collector) and role; KEDA's one and role.
      assert.equal(grants.length, allServices.length * 2 + 5);
      for (const g of grants) assert.ok(wait.dependsOn.includes(g.urn), `${g.name} before the wait`);
      assert.match(String(wait.inputs.createDuration), /^\d+s$/);
      const deployments = run.resources.filter(
        (r) => r.type === "kubernetes:apps/v1:Deployment" && allServices.some((s) => get(r.inputs, "metadata", "name") === s.name),
      );
      assert.equal(deployments.length, allServices.length);
      const waitsFor = (urn: string, target: string, seen = new Set<string>()): boolean => {
        if (urn === target) return true;
        if (seen.has(urn)) return false;
        seen.add(urn);
        const r = run.resources.find((x) => x.urn === urn);
        return !!r && [...r.dependsOn, ...(r.parent ? [r.parent] : [])].some((d) => waitsFor(d, target, seen));
      };
      for (const d of deployments) assert.ok(waitsFor(d.urn, wait.urn), `${d.name} waits for the propagation`);
    });

    it("registers the API (v2 tokens, Tasks.ReadWrite, email claim) and a public SPA client in Entra ID, and wires them into every public service", () => {
      const identity = cfg("identity");
      const api = one("azuread:index/application:Application", `tasks-${stack}-sign-in-api`);
      const web = one("azuread:index/application:Application", `tasks-${stack}-sign-in-web`);
      const tenant = String(run.outputs.tenantId);
      assert.deepEqual(api.inputs.identifierUris, [`api://${tenant}/tasks-${stack}-api`]);
      assert.equal(get(api.inputs, "api", "requestedAccessTokenVersion"), 2);
      const scope = get(api.inputs, "api", "oauth2PermissionScopes", 0) as Obj;
      assert.deepEqual([scope.value, scope.type, scope.enabled], ["Tasks.ReadWrite", "User", true]);
      assert.match(String(scope.id), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(get(api.inputs, "optionalClaims", "accessTokens"), [{ name: "email" }]);
      assert.deepEqual(get(web.inputs, "singlePageApplication", "redirectUris"), [`https://${plain("domain")}/`]);
      assert.deepEqual(get(web.inputs, "web", "implicitGrant"), { accessTokenIssuanceEnabled: false, idTokenIssuanceEnabled: false });
      assert.deepEqual(web.inputs.requiredResourceAccesses, [
        { resourceAppId: api.state.clientId, resourceAccesses: [{ id: scope.id, type: "Scope" }] },
      ]);
      for (const t of [
        "azuread:index/applicationPassword:ApplicationPassword",
        "azuread:index/applicationCertificate:ApplicationCertificate",
      ]) {
        assert.deepEqual(ofType(t), [], `${t} must not exist`);
      }
      const webSp = one("azuread:index/servicePrincipal:ServicePrincipal", `tasks-${stack}-sign-in-web`);
      assert.equal(webSp.inputs.appRoleAssignmentRequired, identity.assignmentRequired);
      // No tenant-wide consent grant: the bootstrap's deployer has no DelegatedPermissionGrant.ReadWrite.All.
      assert.deepEqual(ofType("azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant"), []);
      const signIn = run.outputs.signIn as Obj;
      assert.deepEqual(signIn, {
        provider: "entra",
        issuer: `https://login.microsoftonline.com/${tenant}/v2.0`,
        audience: api.state.clientId,
        jwksUrl: `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`,
        apiClientId: api.state.clientId,
        spaClientId: web.state.clientId,
        scope: `api://${tenant}/tasks-${stack}-api/Tasks.ReadWrite`,
      });
      const deployments = ofType("kubernetes:apps/v1:Deployment");
      assert.equal(deployments.length, allServices.length);
      for (const d of deployments) {
        const name = String(get(d.inputs, "metadata", "name"));
        const service = allServices.find((s) => s.name === name)!;
        const env = Object.fromEntries(
          (get(d.inputs, "spec", "template", "spec", "containers", 0, "env") as { name: string; value: string }[]).map((e) => [
            e.name,
            e.value,
          ]),
        );
        const want: Record<string, unknown> =
          service.publicRoutes.length > 0
            ? {
                JWT_ISSUER: signIn.issuer,
                JWT_AUDIENCE: signIn.audience,
                JWT_JWKS_URL: signIn.jwksUrl,
                JWT_USER_ID_CLAIM: "oid",
                JWT_EMAIL_CLAIM: "email",
                JWT_ALGORITHMS: "RS256",
                JWT_CLOCK_SKEW_SECONDS: String(identity.clockSkewSeconds),
                CORS_ALLOWED_ORIGINS: `https://${plain("domain")}`,
                RATE_LIMIT_PER_MINUTE: String(identity.requestsPerMinute),
              }
            : {};
        const got = Object.fromEntries(Object.entries(env).filter(([k]) => /^(JWT_|CORS_|RATE_LIMIT_)/.test(k)));
        assert.deepEqual(got, want, name);
      }
    });

    it("registers the MCP server as its own audience with a public client for MCP clients, and wires it into the mcp pod", () => {
      const identity = cfg("identity");
      const tenant = String(run.outputs.tenantId);
      const host = plain("domain");
      const tasksApi = one("azuread:index/application:Application", `tasks-${stack}-sign-in-api`);
      const mcpApi = one("azuread:index/application:Application", `tasks-${stack}-sign-in-mcp`);
      const mcpClient = one("azuread:index/application:Application", `tasks-${stack}-sign-in-mcp-client`);
      const uris = identity.domainVerified
        ? [`https://${host}/mcp`, `api://${tenant}/tasks-${stack}-mcp`]
        : [`api://${tenant}/tasks-${stack}-mcp`];
      assert.deepEqual(mcpApi.inputs.identifierUris, uris);
      assert.equal(get(mcpApi.inputs, "api", "requestedAccessTokenVersion"), 2);
      const scope = get(mcpApi.inputs, "api", "oauth2PermissionScopes", 0) as Obj;
      assert.deepEqual([scope.value, scope.type, scope.enabled], ["Tasks.ReadWrite", "User", true]);
      assert.notEqual(mcpApi.state.clientId, tasksApi.state.clientId, "a separate audience from the tasks API");
      assert.ok((get(mcpClient.inputs, "publicClient", "redirectUris") as string[]).includes("http://127.0.0.1/callback"));
      assert.equal(mcpClient.inputs.singlePageApplication, undefined);
      assert.deepEqual(mcpClient.inputs.requiredResourceAccesses, [
        { resourceAppId: mcpApi.state.clientId, resourceAccesses: [{ id: scope.id, type: "Scope" }] },
      ]);
      const fullScope = `${uris[0]}/Tasks.ReadWrite`;
      assert.deepEqual(run.outputs.mcp, {
        resourceUrl: `https://${host}/mcp`,
        audience: mcpApi.state.clientId,
        clientId: mcpClient.state.clientId,
        scope: fullScope,
        identifierUri: uris[0],
        redirectUris: get(mcpClient.inputs, "publicClient", "redirectUris"),
      });
      const envOf = (service: string): Record<string, unknown> => {
        const d = ofType("kubernetes:apps/v1:Deployment").find((x) => get(x.inputs, "metadata", "name") === service)!;
        const env = get(d.inputs, "spec", "template", "spec", "containers", 0, "env") as { name: string; value: string }[];
        return Object.fromEntries(env.map((e) => [e.name, e.value]));
      };
      const mcp = envOf("mcp");
      assert.deepEqual(
        [mcp.MCP_RESOURCE_URL, mcp.MCP_AUDIENCE, mcp.MCP_SCOPES, mcp.JWT_AUDIENCE],
        [`https://${host}/mcp`, mcpApi.state.clientId, fullScope, tasksApi.state.clientId],
      );
      for (const s of allServices.filter((x) => x.name !== "mcp")) {
        assert.deepEqual(
          Object.keys(envOf(s.name)).filter((k) => k.startsWith("MCP_")),
          [],
          `${s.name} gets no MCP settings`,
        );
      }
    });

    it("tags every taggable Azure resource with environment, owner and cost center", () => {
      const want = { environment: stack, owner: plain("owner"), "cost-center": plain("costCenter") };
      const tagged = run.resources.filter((r) => taggableTypes.includes(r.type));
      assert.ok(tagged.length > 20);
      for (const r of tagged) {
        const tags = (r.inputs.tags ?? {}) as Obj;
        for (const [k, v] of Object.entries(want)) assert.equal(tags[k], v, `${r.type} ${r.name}: tag ${k}`);
      }
    });

    it("builds the Kubernetes provider from a kubelogin kubeconfig (Entra ID), held as a secret", () => {
      const providers = run.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
      assert.equal(providers.length, 1);
      const kc = providers[0]!.inputs.kubeconfig;
      assert.ok(isSecretEnvelope(kc));
      const text = String(unwrap(kc));
      assert.match(text, /command: kubelogin/);
      assert.match(text, new RegExp(`--login\\s+- ${String(cfg("aks").kubeloginMode)}`));
      assert.doesNotMatch(text, /client-certificate-data|client-key-data|token:/);
      assert.ok(run.calls.some((c) => c.token === "azure-native:containerservice:listManagedClusterUserCredentials"));
      assert.ok(!run.calls.some((c) => c.token === "azure-native:containerservice:listManagedClusterAdminCredentials"));
    });

    it("gives every Azure resource a parent (a component or its owner)", () => {
      const orphans = run.resources
        .filter((r) => r.custom && /^(azure-native|azuread|random):/.test(r.type) && !r.parent)
        .map((r) => `${r.type} ${r.name}`);
      assert.deepEqual(
        orphans.filter((o) => !o.startsWith("random:")),
        [],
      );
    });

    it(
      stack === "prod"
        ? "protects the stateful resources, and retains on delete those that hold data (stacks/src/protection.ts)"
        : "leaves dev's resources unprotected, so that a destroy cleans up",
      () => {
        const label = (r: RecordedResource): string => `${r.type} ${r.name}`;
        const protectedOnes = run.resources.filter((r) => r.protect).map(label);
        const retained = run.resources.filter((r) => r.retainOnDelete).map(label);
        if (stack === "dev") {
          // Only the Key Vault secrets are retained, in every stack: a deleted one's name is blocked by purge protection.
          assert.deepEqual(protectedOnes, []);
          assert.ok(retained.length > 0 && retained.every((r) => r.startsWith("azure-native:keyvault:Secret ")), retained.join(", "));
          return;
        }
        const count = (list: string[], type: string): number => list.filter((l) => l.startsWith(`${type} `)).length;
        const vaultSecrets = ofType("azure-native:keyvault:Secret").length;
        const hubs = ofType("azure-native:eventhub:EventHub").length;
        const expected: [string, number, boolean][] = [
          ["azure-native:containerservice:ManagedCluster", 1, false],
          ["azure-native:dbforpostgresql:Server", 1, true],
          ["azure-native:dbforpostgresql:Database", servicesWithDatabase().length, true],
          ["azure-native:eventhub:Namespace", 1, true],
          ["azure-native:eventhub:EventHub", allBrokerTopics().length, true],
          ["azure-native:keyvault:Vault", 1, true],
          ["azure-native:keyvault:Secret", vaultSecrets, true],
          ["kubernetes:helm.sh/v3:Release", 1, true],
          ["kubernetes:core/v1:Namespace", 1, true],
        ];
        assert.equal(hubs, allBrokerTopics().length);
        assert.ok(vaultSecrets >= 6, `${vaultSecrets} vault secrets`);
        assert.deepEqual(
          expected.map(([type]) => [type, count(protectedOnes, type), count(retained, type)]),
          expected.map(([type, n, holdsData]) => [type, n, holdsData ? n : 0]),
        );
        assert.equal(
          protectedOnes.length,
          expected.reduce((n, [, k]) => n + k, 0),
          `protected: ${protectedOnes.join(", ")}`,
        );
        const release = run.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.protect);
        assert.equal(release?.inputs.name, "dapr", "the Dapr control plane (scheduler volumes) is the protected release");
        const ns = run.resources.find((r) => r.type === "kubernetes:core/v1:Namespace" && r.protect);
        assert.equal(get(ns?.inputs, "metadata", "name"), "dapr-system");
        for (const type of [
          "azure-native:network:VirtualNetwork",
          "azure-native:managedidentity:UserAssignedIdentity",
          "kubernetes:apps/v1:Deployment",
        ]) {
          assert.ok(ofType(type).length > 0 && ofType(type).every((r) => !r.protect && !r.retainOnDelete), type);
        }
      },
    );

    it("carries no secret in plain text in its outputs", () => {
      const generated = run.resources.filter((r) => r.type.startsWith("random:index/randomPassword")).map((r) => String(r.state.result));
      const keys = run.calls.filter((c) => c.token === "azure-native:eventhub:listNamespaceKeys");
      assert.ok(generated.length >= 2 && keys.length === 2, "the Dapr rule's keys and the lag readers'");
      const secrets = [
        ...generated,
        ...["smtpPassword", "alertChatWebhookUrl", "alertHeartbeatToken"].map((k) => `offline-placeholder-for-tasks-platform-${k}`),
        "SharedAccessKey=",
      ];
      const plainText = JSON.stringify(run.outputs, (_k, v: unknown) => (get(v, "secret") === true ? "[secret]" : v));
      for (const s of secrets) assert.ok(!plainText.includes(s), `an output carries ${s.slice(0, 4)}… in plain text`);
      assert.equal(get(run.outputs.kubeconfig, "secret"), true);
      for (const key of [
        "clusterName",
        "acrLoginServer",
        "eventHubsNamespace",
        "keyVaultName",
        "postgresHost",
        "oidcIssuerUrl",
        "ingressAddress",
      ]) {
        assert.equal(typeof run.outputs[key], "string", key);
      }
    });
  });
}
