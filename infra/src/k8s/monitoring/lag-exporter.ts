import type * as pulumi from "@pulumi/pulumi";
import { restrictedContainer, restrictedPod } from "../security.js";

/** The exporter's pods, for network policies. */
export const lagExporterPodLabels = { app: "prometheus-kafka-exporter" } as const;

export interface LagExporterOptions {
  /** Kafka bootstrap servers, `host:port`. */
  readonly brokers: pulumi.Input<string>;
  /**
   * Event Hubs: SASL PLAIN over TLS with a listen-only connection string, from a Secret with keys `username`
   * and `password` (on AKS kept in sync from Key Vault by the Secrets Store CSI driver). Absent: plaintext (Redpanda).
   */
  readonly saslSecretName?: string;
}

/**
 * Helm values of prometheus-kafka-exporter: consumer-group lag and offsets read from the broker every scrape,
 * so a consumer that stops consuming still has a lag series (the services' own event-age histogram goes
 * silent then). Restricted pod; its chart's ServiceMonitor is picked up by Prometheus.
 */
export function lagExporterValues(o: LagExporterOptions): Record<string, unknown> {
  return {
    fullnameOverride: "kafka-lag-exporter",
    kafkaServer: [o.brokers],
    // Event Hubs speaks the Kafka 1.0 protocol (the version Dapr's docs set for it too).
    ...(o.saslSecretName
      ? {
          kafkaBrokerVersion: "1.0.0",
          tls: { enabled: true },
          sasl: { enabled: true, handshake: true, scram: { enabled: true, mechanism: "plain", secretName: o.saslSecretName } },
        }
      : {}),
    rbac: { create: false, pspEnabled: false },
    serviceAccount: { create: true },
    prometheus: { serviceMonitor: { enabled: true, interval: "30s" } },
    liveness: { enabled: true },
    readiness: { enabled: true },
    resources: { requests: { cpu: "20m", memory: "32Mi" }, limits: { cpu: "200m", memory: "128Mi" } },
    securityContext: restrictedPod(65534),
    containerSecurityContext: restrictedContainer(65534),
  };
}
