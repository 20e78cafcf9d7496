import type { ConfigurationArgs } from "@pulumi/azure-native/dbforpostgresql/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf, sameText } from "../lib/azure.js";

const weakProtocols = new Set(["tlsv1", "tlsv1.0", "tlsv1.1"]);

export const postgresTlsRequired = resourcePolicy({
  name: "azure-postgres-tls-required",
  description:
    "Postgres Flexible Server keeps TLS required: no server parameter turns require_secure_transport off or lowers ssl_min_protocol_version below TLS 1.2.",
  enforcementLevel: "mandatory",
  severity: "high",
  suppressible: false,
  sources: [
    source("checkov", "CKV_AZURE_147", "Ensure PostgreSQL is using the latest version of TLS encryption"),
    source("azure", "PostgreSQL flexible server TLS", "require_secure_transport is ON by default; keep it"),
  ],
  url: "https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-ssl-tls",
  remediationSteps:
    "Remove the Configuration that sets require_secure_transport to off, and keep ssl_min_protocol_version at TLSv1.2 or TLSv1.3.",
  tags: ["azure", "postgres", "security", "tls"],
  validateResource: (args, report) => {
    const config = propsOf<ConfigurationArgs>(args, azureTypes.postgresConfiguration);
    if (!config) return args.notApplicable("applies to Postgres server parameters");
    const name = (config.configurationName ?? args.name).toLowerCase();
    if (
      name === "require_secure_transport" &&
      (sameText(config.value, "off") || sameText(config.value, "0") || sameText(config.value, "false"))
    ) {
      report(`server parameter require_secure_transport is "${config.value}": clients could connect without TLS.`);
    }
    if (name === "ssl_min_protocol_version" && typeof config.value === "string" && weakProtocols.has(config.value.toLowerCase())) {
      report(`server parameter ssl_min_protocol_version is "${config.value}"; use TLSv1.2 or later.`);
    }
  },
});
