import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";
import { isProductionLike, resourceEnvironment } from "../lib/environment.js";

export const postgresZoneRedundantHaProd = resourcePolicy({
  name: "azure-postgres-zone-redundant-ha-prod",
  description: "In prod, Postgres Flexible Server runs zone-redundant high availability (a standby in another zone).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("azure", "PostgreSQL flexible server HA", "Zone-redundant high availability for production"),
    source("aks-baseline", "Reliability/zone-redundant data", "Zone-redundant dependencies for a zonal cluster"),
  ],
  url: "https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server",
  remediationSteps: 'Set highAvailability: { mode: "ZoneRedundant" } (General Purpose or Memory Optimized SKU).',
  tags: ["azure", "postgres", "availability", "prod-only"],
  validateResource: (args, report) => {
    const server = propsOf<ServerArgs>(args, azureTypes.postgresServer);
    if (!server) return args.notApplicable("applies to Postgres servers");
    if (!isProductionLike(resourceEnvironment(args))) return args.notApplicable("applies to prod");
    const mode = server.highAvailability?.mode;
    if (!sameText(mode, "ZoneRedundant"))
      report(`the prod server must use zone-redundant HA; highAvailability.mode is ${mode === undefined ? "not set" : `"${mode}"`}.`);
  },
});
