import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";

export const postgresEntraAuth = resourcePolicy({
  name: "azure-postgres-entra-auth",
  description: "Postgres servers accept Microsoft Entra authentication, so people and workloads sign in with their identities.",
  enforcementLevel: "advisory",
  severity: "medium",
  sources: [source("azure", "PostgreSQL flexible server Entra authentication", "Enable Microsoft Entra authentication")],
  url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-azure-ad-authentication",
  remediationSteps: 'Set authConfig: { activeDirectoryAuth: "Enabled", tenantId }.',
  tags: ["azure", "postgres", "security", "identity"],
  validateResource: (args, report) => {
    const server = propsOf<ServerArgs>(args, azureTypes.postgresServer);
    if (!server) return args.notApplicable("applies to Postgres servers");
    if (!sameText(server.authConfig?.activeDirectoryAuth, "Enabled"))
      report('the server does not accept Microsoft Entra authentication (authConfig.activeDirectoryAuth: "Enabled").');
  },
});
