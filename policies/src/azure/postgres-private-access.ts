import type { ServerArgs } from "@pulumi/azure-native/dbforpostgresql/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";

export const postgresPrivateAccess = resourcePolicy({
  name: "azure-postgres-private-access",
  description:
    "Postgres servers are reachable only from the virtual network: a delegated subnet (VNet integration) or public network access disabled.",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [
    source("checkov", "CKV_AZURE_68", "Ensure that PostgreSQL server disables public network access"),
    source("checkov", "CKV2_AZURE_57", "Ensure PostgreSQL Flexible Server is configured with private endpoint"),
  ],
  url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-private",
  remediationSteps:
    'Set network.delegatedSubnetResourceId and network.privateDnsZoneArmResourceId, or network.publicNetworkAccess: "Disabled" with a private endpoint.',
  tags: ["azure", "postgres", "security", "network"],
  validateResource: (args, report) => {
    const server = propsOf<ServerArgs>(args, azureTypes.postgresServer);
    if (!server) return args.notApplicable("applies to Postgres servers");
    const network = server.network;
    if (network?.delegatedSubnetResourceId || sameText(network?.publicNetworkAccess, "Disabled")) return;
    report(
      'the server is reachable from public networks: set network.delegatedSubnetResourceId or network.publicNetworkAccess: "Disabled".',
    );
  },
});
