import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";
import { configOf } from "../lib/config.js";

export interface BackupRetentionConfig {
  readonly minimumDays: number;
}

export const backupRetentionDefaults: BackupRetentionConfig = { minimumDays: 7 };

export const postgresBackupRetention = resourcePolicy({
  name: "azure-postgres-backup-retention",
  description: "Postgres servers state their backup retention explicitly, at least 7 days (configurable).",
  enforcementLevel: "mandatory",
  severity: "medium",
  sources: [source("azure", "PostgreSQL flexible server backup", "Backup retention of 7 to 35 days")],
  url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
  remediationSteps: "Set backup.backupRetentionDays (7 to 35).",
  tags: ["azure", "postgres", "availability", "backup"],
  configSchema: { properties: { minimumDays: { type: "integer", minimum: 1, maximum: 35, default: backupRetentionDefaults.minimumDays } } },
  validateResource: (args, report) => {
    const server = propsOf<ServerArgs>(args, azureTypes.postgresServer);
    if (!server) return args.notApplicable("applies to Postgres servers");
    const { minimumDays } = configOf(args, backupRetentionDefaults);
    const days = server.backup?.backupRetentionDays;
    if (typeof days !== "number") report(`the server must set backup.backupRetentionDays (at least ${minimumDays}).`);
    else if (days < minimumDays)
      report(`the server keeps backups ${days} days; set backup.backupRetentionDays to at least ${minimumDays}.`);
  },
});
