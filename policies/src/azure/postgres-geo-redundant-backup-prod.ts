import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";

export const postgresGeoRedundantBackupProd = resourcePolicy({
  name: "azure-postgres-geo-redundant-backup-prod",
  description: "In prod, Postgres backups are geo-redundant, so a regional outage does not lose them.",
  enforcementLevel: "advisory",
  severity: "low",
  sources: [source("checkov", "CKV_AZURE_136", "Ensure that PostgreSQL Flexible server enables geo-redundant backups")],
  url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-backup-restore",
  remediationSteps: 'Set backup.geoRedundantBackup: "Enabled" (only at server creation).',
  tags: ["azure", "postgres", "availability", "backup", "prod-only"],
  validateResource: (args, report) => {
    const server = propsOf<ServerArgs>(args, azureTypes.postgresServer);
    if (!server) return args.notApplicable("applies to Postgres servers");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    if (!sameText(server.backup?.geoRedundantBackup, "Enabled"))
      report('prod backups are not geo-redundant (backup.geoRedundantBackup: "Enabled").');
  },
});
