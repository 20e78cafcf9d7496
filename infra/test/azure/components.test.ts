import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { TopicSpec } from "@tasks/catalog";

/** Components validate their Args before creating anything: each message names the option or the limit. */

const scope = { resourceGroupName: "rg", location: "westeurope", tags: { environment: "test" } };
type Mod = typeof import("../../src/azure/index.js");
let m: Mod;

const topic = (name: string, retentionDays = 7, partitions = 4): TopicSpec => ({
  name,
  eventType: `t.${name}`,
  partitions,
  retentionDays,
  deadLetterTopic: `${name}.dlq`,
});

before(async () => {
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: () => ({}),
    },
    "tasks-platform",
    "test",
    false,
  );
  m = await import("../../src/azure/index.js");
});

describe("Azure component validation", () => {
  it("EventHubs: six topics are 12 hubs, over the Standard limit of 10", () => {
    const topics = ["a", "b", "c", "d", "e", "f"].map((n) => topic(n));
    assert.throws(() => new m.EventHubs("evh", { ...scope, namespaceName: "ns", sku: "Standard", topics }), {
      message:
        'EventHubs "evh": Event Hubs Standard allows at most 10 event hubs per namespace; the catalog needs 12 (topics and their dead-letter topics)',
    });
  });

  it("EventHubs: a topic kept 14 days breaks Standard's 7 days but fits Premium", () => {
    const topics = [topic("audit.log", 14)];
    assert.throws(() => new m.EventHubs("evh-retention", { ...scope, namespaceName: "ns", sku: "Standard", topics }), {
      message:
        'EventHubs "evh-retention": Event Hubs Standard allows at most 7 days retention; event hub "audit.log" asks for 14; Event Hubs Standard allows at most 7 days retention; event hub "audit.log.dlq" asks for 14',
    });
    assert.doesNotThrow(() => new m.EventHubs("evh-premium", { ...scope, namespaceName: "ns2", sku: "Premium", topics }));
  });

  it("ContainerRegistry: zone redundancy and firewall rules need Premium", () => {
    assert.throws(
      () =>
        new m.ContainerRegistry("acr", {
          ...scope,
          registryName: "acr1",
          sku: "Standard",
          zoneRedundant: true,
          subscriptionId: "s",
          allowedIpRanges: ["203.0.113.0/24"],
        }),
      {
        message: 'ContainerRegistry "acr": zoneRedundant, allowedIpRanges need sku Premium, got Standard',
      },
    );
  });

  it("PostgresServer: HA needs a non-Burstable tier; backups 7..35 days", () => {
    assert.throws(
      () =>
        new m.PostgresServer("pg", {
          ...scope,
          serverName: "pg",
          skuName: "Standard_B2ms",
          skuTier: "Burstable",
          highAvailability: "ZoneRedundant",
          backupRetentionDays: 40,
          delegatedSubnetId: "s",
          privateDnsZoneId: "z",
          tenantId: "t",
          entraAdmin: { objectId: "o", principalName: "admins" },
        }),
      {
        message:
          'PostgresServer "pg": highAvailability ZoneRedundant needs skuTier GeneralPurpose or MemoryOptimized, got Burstable; backupRetentionDays must be an integer 7..35, got 40',
      },
    );
  });

  it("KeyVault: soft-delete retention 7..90 and Key Vault secret names", () => {
    assert.throws(
      () => new m.KeyVault("kv", { ...scope, vaultName: "kv", tenantId: "t", softDeleteRetentionDays: 120, secrets: { db_url: "x" } }),
      {
        message:
          'KeyVault "kv": softDeleteRetentionDays must be an integer 7..90, got 120; secret and key names must be 1-127 letters, digits and hyphens: db_url',
      },
    );
  });

  it("AksCluster: a public API server needs authorized IP ranges", () => {
    assert.throws(
      () =>
        new m.AksCluster("aks", {
          ...scope,
          clusterName: "aks",
          dnsPrefix: "aks",
          kubernetesVersion: "1.34",
          nodeSubnetId: "s",
          systemPool: { vmSize: "x", minCount: 3, maxCount: 5 },
          userPool: { vmSize: "x", minCount: 1, maxCount: 3 },
          adminGroupObjectId: "g",
          tenantId: "t",
          subscriptionId: "s",
          logAnalyticsWorkspaceId: "w",
          containerInsightsRuleId: "r",
          maintenanceWindow: { dayOfWeek: "Sunday", startTime: "02:00", durationHours: 4 },
        }),
      { message: 'AksCluster "aks": authorizedIpRanges must list at least one CIDR unless privateCluster is true' },
    );
  });

  it("Network: the address space must hold the subnets", () => {
    assert.throws(() => new m.Network("net", { ...scope, addressSpace: "10.0.0.0/24", vnetName: "v", postgresZonePrefix: "p" }), {
      message: 'Network "net": addressSpace: VNet address space 10.0.0.0/24 is too small: the subnets need a /19 or larger',
    });
  });
});
