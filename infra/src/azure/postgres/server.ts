import * as pulumi from "@pulumi/pulumi";
import { AdministratorsMicrosoftEntra } from "@pulumi/azure-native/dbforpostgresql/administratorsMicrosoftEntra.js";
import { Configuration } from "@pulumi/azure-native/dbforpostgresql/configuration.js";
import { Database } from "@pulumi/azure-native/dbforpostgresql/database.js";
import { Server, type ServerArgs } from "@pulumi/azure-native/dbforpostgresql/server.js";
import { RandomPassword } from "@pulumi/random/randomPassword.js";
import { Sleep } from "@pulumiverse/time/sleep.js";
import { servicesWithDatabase } from "@tasks/catalog";
import { childName } from "../../naming.js";
import type { AzureScope } from "../scope.js";
import { postgresUrl } from "./connection.js";

export type PostgresHighAvailability = "Disabled" | "ZoneRedundant" | "SameZone";

export interface PostgresServerArgs extends AzureScope {
  /** Physical server name (see naming.azureName("postgresServer", …)). */
  readonly serverName: pulumi.Input<string>;
  /** Major version, 16 or later. @default "16" */
  readonly version?: "16" | "17";
  /** e.g. Standard_B2ms (Burstable) or Standard_D2ds_v5 (GeneralPurpose). */
  readonly skuName: string;
  readonly skuTier: "Burstable" | "GeneralPurpose" | "MemoryOptimized";
  /** @default 32 */
  readonly storageSizeGb?: number;
  /** ZoneRedundant puts a standby in another zone; not available on Burstable. @default "Disabled" */
  readonly highAvailability?: PostgresHighAvailability;
  /** 7..35. @default 7 */
  readonly backupRetentionDays?: number;
  /** @default false */
  readonly geoRedundantBackup?: boolean;
  /** Subnet delegated to Microsoft.DBforPostgreSQL/flexibleServers. */
  readonly delegatedSubnetId: pulumi.Input<string>;
  /** Private DNS zone ending in .postgres.database.azure.com, linked to the VNet. */
  readonly privateDnsZoneId: pulumi.Input<string>;
  readonly tenantId: pulumi.Input<string>;
  /** Entra group that administers the server (Entra authentication). */
  readonly entraAdmin: { readonly objectId: pulumi.Input<string>; readonly principalName: pulumi.Input<string> };
  /** @default "tasksadmin" */
  readonly administratorLogin?: string;
  /** Databases to create. @default the catalog's service databases (servicesWithDatabase) */
  readonly databases?: readonly string[];
}

/**
 * Postgres Flexible Server in the delegated subnet (no public access): TLS required, Entra and password
 * authentication, backups, optional zone-redundant HA, one database per service that owns data.
 */
export class PostgresServer extends pulumi.ComponentResource {
  readonly serverId: pulumi.Output<string>;
  readonly fqdn: pulumi.Output<string>;
  readonly administratorLogin: string;
  /** Generated administrator password; secret. */
  readonly administratorPassword: pulumi.Output<string>;
  readonly databases: readonly string[];
  /** The settle wait, TLS setting, Entra admin and databases, in the order they are applied (each after the previous). */
  readonly settings: readonly pulumi.Resource[];

  constructor(name: string, args: PostgresServerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:azure:PostgresServer", name, {}, opts);
    const a = withDefaults(args);
    const problems = postgresProblems(a);
    if (problems.length) throw new pulumi.ResourceError(`PostgresServer "${name}": ${problems.join("; ")}`, this);

    const password = new RandomPassword(
      childName(name, "admin-password"),
      {
        length: 32,
        special: true,
        overrideSpecial: "-_.~",
        minUpper: 2,
        minLower: 2,
        minNumeric: 2,
      },
      { parent: this },
    );
    const server = new Server(name, serverArgs(a, password.result), {
      parent: this,
      // Azure moves these after creation; putting them back would fail or replace the server:
      // - a zone-redundant failover swaps availabilityZone and the standby's zone, and availabilityZone is
      //   create-only, so a refresh would plan a replacement (hashicorp/terraform-provider-azurerm#25538);
      // - storage autogrow raises the size, which cannot shrink back to the configured one
      //   (hashicorp/terraform-provider-azurerm#29463). The configured size is the initial one.
      ignoreChanges: ["availabilityZone", "highAvailability.standbyAvailabilityZone", "storage.storageSizeGB"],
    });
    this.settings = createServerSettings(name, a, server);
    this.serverId = server.id;
    this.fqdn = server.fullyQualifiedDomainName.apply((f) => f ?? "");
    this.administratorLogin = a.administratorLogin;
    this.administratorPassword = pulumi.secret(password.result);
    this.databases = [...a.databases];
    this.registerOutputs({ fqdn: this.fqdn });
  }

  /**
   * Connection URL of one of the server's databases as `login`, e.g. a service's own role (catalog
   * databaseRole, created by the database-roles Job); secret. Services never get the administrator's URL.
   */
  databaseUrl(database: string, login: { readonly user: string; readonly password: pulumi.Input<string> }): pulumi.Output<string> {
    if (!this.databases.includes(database))
      throw new Error(`PostgresServer has no database "${database}"; it has: ${this.databases.join(", ")}`);
    if (login.user === this.administratorLogin)
      throw new Error(`databaseUrl: "${login.user}" is the administrator; give the service's own role`);
    return postgresUrl({ host: this.fqdn, user: login.user, password: login.password }, database);
  }

  /** The administrator's URL of the maintenance database "postgres", for the database-roles Job only; secret. */
  adminUrl(): pulumi.Output<string> {
    return postgresUrl({ host: this.fqdn, user: this.administratorLogin, password: this.administratorPassword }, "postgres");
  }
}

type ResolvedPostgresArgs = ReturnType<typeof withDefaults>;

function withDefaults(args: PostgresServerArgs) {
  return {
    version: "16" as const,
    storageSizeGb: 32,
    highAvailability: "Disabled" as PostgresHighAvailability,
    backupRetentionDays: 7,
    geoRedundantBackup: false,
    administratorLogin: "tasksadmin",
    databases: servicesWithDatabase().map((s) => s.database),
    ...args,
  };
}

/** Problems with the args, each naming the option; empty when valid. */
function postgresProblems(a: ResolvedPostgresArgs): string[] {
  const problems: string[] = [];
  if (Number(a.version) < 16) problems.push(`version must be 16 or later, got ${a.version}`);
  if (a.highAvailability !== "Disabled" && a.skuTier === "Burstable")
    problems.push(`highAvailability ${a.highAvailability} needs skuTier GeneralPurpose or MemoryOptimized, got Burstable`);
  if (!Number.isInteger(a.backupRetentionDays) || a.backupRetentionDays < 7 || a.backupRetentionDays > 35)
    problems.push(`backupRetentionDays must be an integer 7..35, got ${a.backupRetentionDays}`);
  return problems;
}

/** The Flexible Server: in the delegated subnet without public access, Entra and password auth, backups, optional HA. */
function serverArgs(a: ResolvedPostgresArgs, password: pulumi.Output<string>): ServerArgs {
  return {
    resourceGroupName: a.resourceGroupName,
    location: a.location,
    serverName: a.serverName,
    version: a.version,
    sku: { name: a.skuName, tier: a.skuTier },
    storage: { storageSizeGB: a.storageSizeGb, autoGrow: "Enabled" },
    backup: { backupRetentionDays: a.backupRetentionDays, geoRedundantBackup: a.geoRedundantBackup ? "Enabled" : "Disabled" },
    availabilityZone: "1",
    highAvailability:
      a.highAvailability === "ZoneRedundant" ? { mode: "ZoneRedundant", standbyAvailabilityZone: "2" } : { mode: a.highAvailability },
    network: {
      delegatedSubnetResourceId: a.delegatedSubnetId,
      privateDnsZoneArmResourceId: a.privateDnsZoneId,
      publicNetworkAccess: "Disabled",
    },
    authConfig: { activeDirectoryAuth: "Enabled", passwordAuth: "Enabled", tenantId: a.tenantId },
    administratorLogin: a.administratorLogin,
    administratorLoginPassword: pulumi.secret(password),
    tags: a.tags,
  };
}

/**
 * How long the server's children may take: Azure answers 409 ServerIsBusy while a change runs, and azure-native
 * does not retry a 409, so each child waits for the previous one (the chain below) and gets time to finish.
 */
export const postgresChildTimeouts = { create: "30m", update: "30m", delete: "30m" } as const;

/** How long a new server stays busy with its first backup and setup before it takes a change. */
export const postgresSettleDuration = "90s";

/**
 * TLS required, the Entra admin group, then one database per service that owns data — one at a time: the
 * server takes one change at a time and answers ServerIsBusy to the next (a Configuration right after the
 * create, four Databases in parallel). The chain starts after the new server has settled.
 */
function createServerSettings(name: string, a: ResolvedPostgresArgs, server: Server): pulumi.Resource[] {
  const settled = new Sleep(
    childName(name, "settle"),
    { createDuration: postgresSettleDuration, triggers: { server: server.id } },
    { parent: server },
  );
  const chain: pulumi.CustomResourceOptions = { parent: server, customTimeouts: postgresChildTimeouts };
  const tls = new Configuration(
    childName(name, "require-tls"),
    {
      resourceGroupName: a.resourceGroupName,
      serverName: server.name,
      configurationName: "require_secure_transport",
      value: "ON",
      source: "user-override",
    },
    { ...chain, dependsOn: [settled] },
  );
  let previous: pulumi.Resource = new AdministratorsMicrosoftEntra(
    childName(name, "entra-admin"),
    {
      resourceGroupName: a.resourceGroupName,
      serverName: server.name,
      objectId: a.entraAdmin.objectId,
      principalName: a.entraAdmin.principalName,
      principalType: "Group",
      tenantId: a.tenantId,
    },
    { ...chain, dependsOn: [tls] },
  );
  const steps: pulumi.Resource[] = [settled, tls, previous];
  for (const db of a.databases) {
    previous = new Database(
      childName(name, `db-${db}`),
      {
        resourceGroupName: a.resourceGroupName,
        serverName: server.name,
        databaseName: db,
        charset: "UTF8",
        collation: "en_US.utf8",
      },
      { ...chain, dependsOn: [previous] },
    );
    steps.push(previous);
  }
  return steps;
}
