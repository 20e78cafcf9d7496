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
import { builtInRoles, podSecurityRestrictedInitiative, subnetLayout } from "@tasks/infra/azure/index";
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
  "azure-native:resources:ResourceGroup",
  "azure-native:network:VirtualNetwork",
  "azure-native:network:PrivateEndpoint",
  "azure-native:privatedns:PrivateZone",
  "azure-native:privatedns:VirtualNetworkLink",
  "azure-native:operationalinsights:Workspace",
  "azure-native:monitor:DataCollectionRule",
  "azure-native:containerservice:ManagedCluster",
  "azure-native:managedidentity:UserAssignedIdentity",
  "azure-native:containerregistry:Registry",
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
      assert.deepEqual(get(aks, "aadProfile", "adminGroupObjectIDs"), [one("azuread:index/group:Group").state.objectId]);
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

    it("enables Container Insights, the Key Vault secrets provider and Azure Policy (pod security restricted)", () => {
      const aks = one("azure-native:containerservice:ManagedCluster");
      const addons = aks.inputs.addonProfiles as Obj;
      const workspace = one("azure-native:operationalinsights:Workspace");
      assert.equal(get(addons, "omsagent", "enabled"), true);
      assert.equal(get(addons, "omsagent", "config", "logAnalyticsWorkspaceResourceID"), idOf(workspace));
      assert.equal(get(addons, "azureKeyvaultSecretsProvider", "enabled"), true);
      assert.equal(get(addons, "azurepolicy", "enabled"), true);
      assert.equal(workspace.inputs.retentionInDays, cfg("logAnalytics").retentionDays);
      const dcra = one("azure-native:monitor:DataCollectionRuleAssociation");
      assert.equal(dcra.inputs.resourceUri, idOf(aks));
      assert.equal(dcra.inputs.dataCollectionRuleId, idOf(one("azure-native:monitor:DataCollectionRule")));
      const policy = one("azure-native:authorization:PolicyAssignment");
      assert.equal(policy.inputs.policyDefinitionId, podSecurityRestrictedInitiative);
      assert.equal(policy.inputs.scope, idOf(aks));
      assert.equal(get(policy.inputs, "parameters", "effect", "value"), cfg("aks").podSecurityEffect);
    });

    it("grants the AKS admins group cluster admin on the cluster", () => {
      const group = one("azuread:index/group:Group");
      assert.equal(group.inputs.securityEnabled, true);
      const admins = roleAssignments("aksRbacClusterAdmin").filter((r) => r.inputs.principalId === group.state.objectId);
      assert.deepEqual(
        admins.map((r) => [r.inputs.scope, r.inputs.principalType]),
        [[idOf(one("azure-native:containerservice:ManagedCluster")), "Group"]],
      );
    });

    it("disables the ACR admin user and grants AcrPull to the kubelet identity", () => {
      const acr = one("azure-native:containerregistry:Registry");
      assert.equal(acr.inputs.adminUserEnabled, false);
      assert.equal(acr.inputs.anonymousPullEnabled, false);
      const a = cfg("acr");
      assert.equal(get(acr.inputs, "sku", "name"), a.sku);
      assert.equal(acr.inputs.zoneRedundancy, a.zoneRedundant ? "Enabled" : "Disabled");
      const kubelet = get(one("azure-native:containerservice:ManagedCluster").state, "identityProfile", "kubeletidentity", "objectId");
      assert.deepEqual(
        roleAssignments("acrPull").map((r) => [r.inputs.principalId, r.inputs.scope]),
        [[kubelet, idOf(acr)]],
      );
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
        one("azuread:index/group:Group").state.objectId,
      );
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

    it("federates the GitHub deployer for main and pull requests, with no password, and scopes its roles to the resource group", () => {
      const repo = plain("githubRepository");
      const app = one("azuread:index/application:Application", `tasks-${stack}-github-deployer`);
      assert.equal(app.inputs.password, undefined);
      for (const t of [
        "azuread:index/applicationPassword:ApplicationPassword",
        "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
        "azuread:index/applicationCertificate:ApplicationCertificate",
      ]) {
        assert.deepEqual(ofType(t), [], `${t} must not exist`);
      }
      const subjects = ofType("azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential")
        .map((c) => c.inputs.subject)
        .sort();
      const envs = (config["tasks-platform:githubEnvironments"] ? JSON.parse(config["tasks-platform:githubEnvironments"]) : []) as string[];
      assert.deepEqual(
        subjects,
        [`repo:${repo}:pull_request`, `repo:${repo}:ref:refs/heads/main`, ...envs.map((e) => `repo:${repo}:environment:${e}`)].sort(),
      );
      if (stack === "prod") assert.deepEqual(envs, ["production"]);
      const sp = one("azuread:index/servicePrincipal:ServicePrincipal", `tasks-${stack}-github-deployer`);
      const rg = one("azure-native:resources:ResourceGroup");
      const roles = ofType("azure-native:authorization:RoleAssignment").filter((r) => r.inputs.principalId === sp.state.objectId);
      assert.equal(roles.length, 3);
      for (const r of roles) assert.equal(r.inputs.scope, idOf(rg));
      const admin = roles.find((r) => String(r.inputs.roleDefinitionId).endsWith(builtInRoles.rbacAdministrator))!;
      assert.match(String(admin.inputs.condition), /GuidEquals \{[^}]*\}/);
      assert.equal(admin.inputs.conditionVersion, "2.0");
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
      const grant = one("azuread:index/servicePrincipalDelegatedPermissionGrant:ServicePrincipalDelegatedPermissionGrant");
      assert.equal(grant.inputs.servicePrincipalObjectId, webSp.state.objectId);
      assert.deepEqual(grant.inputs.claimValues, ["Tasks.ReadWrite"]);
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

    it("gives every Azure resource a parent (a component or its owner), except the resource group", () => {
      const orphans = run.resources
        .filter((r) => r.custom && /^(azure-native|azuread|random):/.test(r.type) && !r.parent)
        .map((r) => `${r.type} ${r.name}`);
      assert.deepEqual(
        orphans.filter((o) => !o.startsWith("azure-native:resources:ResourceGroup") && !o.startsWith("random:")),
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
          assert.deepEqual([protectedOnes, retained], [[], []]);
          return;
        }
        const count = (list: string[], type: string): number => list.filter((l) => l.startsWith(`${type} `)).length;
        const vaultSecrets = ofType("azure-native:keyvault:Secret").length;
        const hubs = ofType("azure-native:eventhub:EventHub").length;
        const expected: [string, number, boolean][] = [
          ["azure-native:resources:ResourceGroup", 1, true],
          ["azure-native:containerservice:ManagedCluster", 1, false],
          ["azure-native:dbforpostgresql:Server", 1, true],
          ["azure-native:dbforpostgresql:Database", servicesWithDatabase().length, true],
          ["azure-native:eventhub:Namespace", 1, true],
          ["azure-native:eventhub:EventHub", allBrokerTopics().length, true],
          ["azure-native:keyvault:Vault", 1, true],
          ["azure-native:keyvault:Secret", vaultSecrets, true],
          ["azure-native:containerregistry:Registry", 1, true],
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
        "githubDeployerClientId",
      ]) {
        assert.equal(typeof run.outputs[key], "string", key);
      }
    });
  });
}
