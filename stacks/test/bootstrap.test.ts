/** The bootstrap stack under mocks: identity and governance, as an owner runs it once (issue 24, items 2, 8, 11, 15, 17). */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { builtInRoles, previewReaderPermissions, podSecurityRestrictedInitiative } from "@tasks/infra/azure/index";
import { runStackMocked, type MockedRun, type RecordedResource } from "../src/offline/mocked-run.js";
import { mockInvoke } from "../src/offline/mock-state.js";
import { loadStackConfig } from "../src/offline/stack-config.js";

type Obj = Record<string, unknown>;
const get = (o: unknown, ...keys: (string | number)[]): unknown =>
  keys.reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Obj)[k] : undefined), o);
const roleGuid = (r: RecordedResource): string => String(r.inputs.roleDefinitionId).split("/").pop()!;

describe("bootstrap stack (mocked)", () => {
  let run: MockedRun;
  const { config } = loadStackConfig("bootstrap");
  const repo = config["tasks-platform:githubRepository"]!;
  const ofType = (type: string) => run.resources.filter((r) => r.type === type);
  const named = (type: string, name: string): RecordedResource => {
    const found = ofType(type).find((r) => r.name === name);
    assert.ok(found, `${type} ${name}`);
    return found;
  };
  const idOf = (r: RecordedResource): string => `${r.name}-id`;
  /** The role assignments held by the service principal of a GitHub identity. */
  const rolesOf = (identity: string): RecordedResource[] => {
    const sp = named("azuread:index/servicePrincipal:ServicePrincipal", identity);
    return ofType("azure-native:authorization:RoleAssignment").filter((r) => r.inputs.principalId === sp.state.objectId);
  };
  const subjectsOf = (identity: string): string[] =>
    ofType("azuread:index/applicationFederatedIdentityCredential:ApplicationFederatedIdentityCredential")
      .filter((c) => c.parent === named("azuread:index/application:Application", identity).urn)
      .map((c) => String(c.inputs.subject))
      .sort();

  /** Object id of the service principal the Graph lookup returned: looked up by Microsoft Graph's well-known app id. */
  const graphSpObjectId = (): unknown => {
    const lookup = run.calls.find((c) => c.token === "azuread:index/getServicePrincipal:getServicePrincipal");
    assert.ok(lookup, "the Microsoft Graph service principal is looked up");
    assert.equal(lookup.inputs.clientId, "00000003-0000-0000-c000-000000000000");
    return mockInvoke({ token: lookup.token, inputs: lookup.inputs }).objectId;
  };

  before(async () => {
    run = await runStackMocked("bootstrap");
  });

  it("lets prod's deployer sign in only from the production environment, dev's only from main; no deployer trusts pull requests (item 17)", () => {
    assert.deepEqual(subjectsOf("tasks-prod-github-deployer"), [`repo:${repo}:environment:production`]);
    assert.deepEqual(subjectsOf("tasks-dev-github-deployer"), [`repo:${repo}:ref:refs/heads/main`]);
    // Pull requests get a read-only identity, and only for dev: no credential of prod's ever runs a pull request's code.
    assert.deepEqual(subjectsOf("tasks-dev-github-reader"), [`repo:${repo}:pull_request`, `repo:${repo}:ref:refs/heads/main`].sort());
    assert.deepEqual(subjectsOf("tasks-prod-github-reader"), [`repo:${repo}:ref:refs/heads/main`]);
    for (const t of [
      "azuread:index/applicationPassword:ApplicationPassword",
      "azuread:index/servicePrincipalPassword:ServicePrincipalPassword",
    ])
      assert.deepEqual(ofType(t), [], t);
  });

  for (const stack of ["dev", "prod"] as const) {
    it(`gives ${stack}'s deployer exactly what pulumi up needs, AKS data actions included, each on the narrowest scope (items 2, 8, 11)`, () => {
      const rg = named("azure-native:resources:ResourceGroup", `tasks-${stack}`);
      const container = named("azure-native:storage:BlobContainer", `tasks-bootstrap-state-${stack}`);
      const key = named("azure-native:keyvault:Key", `tasks-bootstrap-state-kv-key-pulumi-${stack}`);
      const zone = named("azure-native:dns:Zone", "tasks-bootstrap-dns");
      const roles = rolesOf(`tasks-${stack}-github-deployer`);
      assert.deepEqual(
        roles.map((r) => [roleGuid(r), r.inputs.scope]).sort(),
        [
          [builtInRoles.contributor, idOf(rg)],
          [builtInRoles.aksRbacClusterAdmin, idOf(rg)],
          [builtInRoles.rbacAdministrator, idOf(rg)],
          [builtInRoles.storageBlobDataContributor, idOf(container)],
          [builtInRoles.keyVaultCryptoUser, idOf(key)],
          [builtInRoles.dnsZoneContributor, idOf(zone)],
        ].sort(),
      );
      const rbacAdmin = roles.find((r) => roleGuid(r) === builtInRoles.rbacAdministrator)!;
      const assignable = String(rbacAdmin.inputs.condition)
        .match(/GuidEquals \{([^}]*)\}/)![1]!
        .split(", ")
        .sort();
      assert.deepEqual(assignable, [builtInRoles.acrPull, builtInRoles.keyVaultSecretsUser, builtInRoles.networkContributor].sort());
    });

    it(`lets ${stack}'s deployer register the sign-in applications: Microsoft Graph Application.ReadWrite.OwnedBy, nothing else in Graph`, () => {
      const sp = named("azuread:index/servicePrincipal:ServicePrincipal", `tasks-${stack}-github-deployer`);
      const grants = ofType("azuread:index/appRoleAssignment:AppRoleAssignment").filter(
        (a) => a.inputs.principalObjectId === sp.state.objectId,
      );
      // The id Microsoft Graph publishes for Application.ReadWrite.OwnedBy, on Graph's own service principal.
      assert.deepEqual(
        grants.map((g) => [g.inputs.appRoleId, g.inputs.resourceObjectId]),
        [["18a4783c-866b-4cc7-a460-3d5e5662c884", graphSpObjectId()]],
      );
      const reader = named("azuread:index/servicePrincipal:ServicePrincipal", `tasks-${stack}-github-reader`);
      assert.deepEqual(
        ofType("azuread:index/appRoleAssignment:AppRoleAssignment").filter((a) => a.inputs.principalObjectId === reader.state.objectId),
        [],
      );
    });

    it(`gives ${stack}'s read-only identity reads, the two list actions previews need, and decryption; no write (item 9)`, () => {
      const rg = named("azure-native:resources:ResourceGroup", `tasks-${stack}`);
      const roles = rolesOf(`tasks-${stack}-github-reader`);
      const custom = named("azure-native:authorization:RoleDefinition", `tasks-${stack}-reader-role`);
      assert.deepEqual(
        roles.map((r) => [String(r.inputs.roleDefinitionId).split("/").pop(), r.inputs.scope]).sort(),
        [
          [idOf(custom), idOf(rg)],
          [builtInRoles.storageBlobDataReader, idOf(named("azure-native:storage:BlobContainer", `tasks-bootstrap-state-${stack}`))],
          [builtInRoles.keyVaultCryptoUser, idOf(named("azure-native:keyvault:Key", `tasks-bootstrap-state-kv-key-pulumi-${stack}`))],
          [builtInRoles.reader, idOf(named("azure-native:dns:Zone", "tasks-bootstrap-dns"))],
        ].sort(),
      );
      const perms = get(custom.inputs, "permissions", 0) as { actions: string[]; dataActions: string[] };
      assert.deepEqual(perms, { actions: [...previewReaderPermissions.actions], dataActions: [...previewReaderPermissions.dataActions] });
      for (const a of [...perms.actions, ...perms.dataActions])
        assert.match(a, /\/read$|listKeys\/action$|listClusterUserCredential\/action$/, `${a} is not a read`);
      assert.deepEqual(custom.inputs.assignableScopes, [idOf(rg)]);
    });

    it(`makes ${stack}'s admins group cluster admin on its resource group and assigns Pod Security with monitoring excluded (item 15)`, () => {
      const rg = named("azure-native:resources:ResourceGroup", `tasks-${stack}`);
      const group = named("azuread:index/group:Group", `tasks-${stack}-aks-admins`);
      const env = JSON.parse(config["tasks-platform:environments"]!)[stack] as Obj;
      assert.deepEqual(group.inputs.members, env.adminGroupMembers);
      assert.ok((group.inputs.members as string[]).length >= 1, "somebody administers the cluster");
      const adminRoles = ofType("azure-native:authorization:RoleAssignment").filter((r) => r.inputs.principalId === group.state.objectId);
      assert.deepEqual(adminRoles.map((r) => [roleGuid(r), r.inputs.scope]).sort(), [
        [builtInRoles.aksClusterUser, idOf(rg)],
        [builtInRoles.aksRbacClusterAdmin, idOf(rg)],
      ]);
      const policy = named("azure-native:authorization:PolicyAssignment", `tasks-${stack}-pod-security`);
      assert.equal(policy.inputs.policyDefinitionId, podSecurityRestrictedInitiative);
      assert.equal(policy.inputs.scope, idOf(rg));
      assert.equal(get(policy.inputs, "parameters", "effect", "value"), env.podSecurityEffect);
      const excluded = get(policy.inputs, "parameters", "excludedNamespaces", "value") as string[];
      for (const ns of ["kube-system", "dapr-system", "monitoring"]) assert.ok(excluded.includes(ns), ns);
      for (const ns of ["tasks", "cert-manager"]) assert.ok(!excluded.includes(ns), `${ns} must pass "restricted"`);
    });

    it(`waits for ${stack}'s roles and federated credentials to propagate before the run ends (item 2)`, () => {
      const wait = named("time:index/sleep:Sleep", `tasks-${stack}-rbac-propagation`);
      const deployer = rolesOf(`tasks-${stack}-github-deployer`);
      for (const r of [...deployer, ...rolesOf(`tasks-${stack}-github-reader`)]) assert.ok(wait.dependsOn.includes(r.urn), r.name);
      assert.equal(wait.inputs.createDuration, "300s");
      assert.equal(Object.keys(wait.inputs.triggers as Obj).length, deployer.length + 4 + 2, "one trigger per assignment");
    });

    it(`creates ${stack}'s registry in its resource group, so CI pushes before the stack's first pulumi up (item 1)`, () => {
      const registry = named("azure-native:containerregistry:Registry", `tasks-${stack}-acr`);
      const env = JSON.parse(config["tasks-platform:environments"]!)[stack] as { acr: { sku: string } };
      assert.equal(get(registry.inputs, "sku", "name"), env.acr.sku);
      assert.equal(registry.inputs.adminUserEnabled, false);
      assert.equal(registry.inputs.resourceGroupName, `rg-tasks-${stack}`);
      assert.deepEqual(get(run.outputs.stackConfig, stack, "registry"), { name: registry.state.name, sku: env.acr.sku });
    });
  }

  it("keeps the state in Entra-only, versioned storage with a container and a secrets-provider key per stack (item 11)", () => {
    const account = ofType("azure-native:storage:StorageAccount")[0]!;
    assert.deepEqual(
      [
        account.inputs.allowSharedKeyAccess,
        account.inputs.allowBlobPublicAccess,
        account.inputs.minimumTlsVersion,
        get(account.inputs, "networkRuleSet", "defaultAction"),
      ],
      [false, false, "TLS1_2", "Deny"],
    );
    const blob = ofType("azure-native:storage:BlobServiceProperties")[0]!;
    assert.equal(blob.inputs.isVersioningEnabled, true);
    assert.equal(get(blob.inputs, "deleteRetentionPolicy", "enabled"), true);
    assert.deepEqual(
      ofType("azure-native:storage:BlobContainer")
        .map((c) => c.inputs.containerName)
        .sort(),
      ["state-bootstrap", "state-dev", "state-prod"],
    );
    const keys = ofType("azure-native:keyvault:Key");
    assert.deepEqual(keys.map((k) => k.inputs.keyName).sort(), ["pulumi-bootstrap", "pulumi-dev", "pulumi-prod"]);
    for (const k of keys) assert.deepEqual(get(k.inputs, "properties", "keyOps"), ["encrypt", "decrypt"]);
    const vars = run.outputs.githubVariables as Record<string, string>;
    assert.match(vars.PULUMI_BACKEND_URL_DEV!, /^azblob:\/\/state-dev\?storage_account=tasksstate/);
    assert.match(vars.PULUMI_SECRETS_PROVIDER_PROD!, /^azurekeyvault:\/\/tasks-state-\w+\.vault\.azure\.net\/keys\/pulumi-prod$/);
    for (const v of [
      "AZURE_CLIENT_ID_DEV",
      "AZURE_CLIENT_ID_DEV_READER",
      "AZURE_CLIENT_ID_PROD",
      "AZURE_CLIENT_ID_PROD_READER",
      "AZURE_TENANT_ID",
    ])
      assert.match(vars[v]!, /^[0-9a-f-]{36}$/, v);
  });

  it("creates the DNS zone the stacks' records go in, and hands each stack its config", () => {
    const zone = named("azure-native:dns:Zone", "tasks-bootstrap-dns");
    assert.equal(zone.inputs.zoneName, config["tasks-platform:dnsZone"]);
    assert.ok((run.outputs.dnsNameServers as string[]).length >= 1);
    assert.deepEqual(Object.keys(get(run.outputs.stackConfig, "dev") as Obj).sort(), [
      "aksAdminsGroup",
      "dnsZone",
      "registry",
      "resourceGroupName",
    ]);
  });

  it("protects and retains what holds state: the state storage, keys, registries, resource groups, the zone", () => {
    for (const type of [
      "azure-native:storage:StorageAccount",
      "azure-native:storage:BlobContainer",
      "azure-native:keyvault:Key",
      "azure-native:keyvault:Vault",
      "azure-native:containerregistry:Registry",
      "azure-native:resources:ResourceGroup",
      "azure-native:dns:Zone",
    ])
      for (const r of ofType(type)) assert.deepEqual([r.protect, r.retainOnDelete], [true, true], `${type} ${r.name}`);
  });
});
