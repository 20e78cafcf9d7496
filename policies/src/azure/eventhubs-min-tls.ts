import type { NamespaceArgs } from "@pulumi/azure-native/eventhub/index.js";
import { resourcePolicy, source } from "../lib/metadata.js";
import { azureTypes, propsOf } from "../lib/azure.js";

const accepted = new Set(["1.2", "1.3"]);

export const eventHubsMinTls = resourcePolicy({
  name: "azure-eventhubs-min-tls",
  description: "Event Hubs namespaces refuse clients below TLS 1.2 (minimumTlsVersion set explicitly).",
  enforcementLevel: "mandatory",
  severity: "high",
  sources: [source("checkov", "CKV_AZURE_223", "Ensure Event Hub Namespace uses at least TLS 1.2")],
  url: "https://learn.microsoft.com/azure/event-hubs/transport-layer-security-configure-minimum-version",
  remediationSteps: 'Set minimumTlsVersion: "1.2".',
  tags: ["azure", "eventhubs", "security", "tls"],
  validateResource: (args, report) => {
    const ns = propsOf<NamespaceArgs>(args, azureTypes.eventHubNamespace);
    if (!ns) return args.notApplicable("applies to Event Hubs namespaces");
    const v = ns.minimumTlsVersion;
    if (v === undefined || !accepted.has(String(v)))
      report(`the namespace must set minimumTlsVersion: "1.2"; it is ${v === undefined ? "not set" : `"${v}"`}.`);
  },
});
