import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

export const minimumPostgresVersion = 16;

export const postgresVersion = resourcePolicy({
  name: "azure-postgres-version",
  description: `Postgres servers run major version ${minimumPostgresVersion} or later.`,
  enforcementLevel: "advisory",
  severity: "low",
  sources: [source("azure", "PostgreSQL flexible server version policy", "Run a supported major version")],
  url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-version-policy",
  remediationSteps: `Set version to "${minimumPostgresVersion}" or later.`,
  tags: ["azure", "postgres", "operations"],
  validateResource: (args, report) => {
    const server = propsOf<ServerArgs>(args, azureTypes.postgresServer);
    if (!server) return args.notApplicable("applies to Postgres servers");
    const major = Number.parseInt(String(server.version ?? ""), 10);
    if (Number.isNaN(major)) report(`the server does not set version; pin ${minimumPostgresVersion} or later.`);
    else if (major < minimumPostgresVersion) report(`the server runs Postgres ${major}; use ${minimumPostgresVersion} or later.`);
  },
});
