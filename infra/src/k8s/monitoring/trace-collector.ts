import { platformSecretNames } from "@tasks/catalog";
import { restrictedContainer, restrictedPod } from "../security.js";
import type { CsiSecretsMount } from "./kube-prometheus-stack.js";

/** Service name and OTLP ports of the trace collector the Dapr sidecars export to. */
export const traceCollector = { name: "otel-collector", grpcPort: 4317, httpPort: 4318 } as const;
export const traceCollectorPodLabels = { "app.kubernetes.io/name": "opentelemetry-collector" } as const;

const secretsDir = "/etc/otel/secrets";

export interface TraceCollectorOptions {
  /** azuremonitor: to Application Insights (connection string from Key Vault, mounted as a file); debug: the collector's log. */
  readonly exporter: "azuremonitor" | "debug";
  /** Key Vault mount of the connection string (azuremonitor). */
  readonly keyVault?: CsiSecretsMount;
  readonly highAvailability: boolean;
}

/**
 * Helm values of opentelemetry-collector (contrib image): OTLP in (gRPC 4317 from the sidecars), memory limit and
 * batching, then Application Insights on Azure. The connection string never enters the config or the environment:
 * the config names a file (`${file:…}`) that the CSI driver mounts from Key Vault.
 */
export function traceCollectorValues(o: TraceCollectorOptions): Record<string, unknown> {
  if (o.exporter === "azuremonitor" && !o.keyVault)
    throw new Error("keyVault: the azuremonitor exporter reads its connection string from Key Vault");
  const exporters =
    o.exporter === "azuremonitor"
      ? { azuremonitor: { connection_string: `\${file:${secretsDir}/${platformSecretNames.appInsightsConnectionString}}` } }
      : { debug: { verbosity: "basic" } };
  return {
    fullnameOverride: traceCollector.name,
    mode: "deployment",
    replicaCount: o.highAvailability ? 2 : 1,
    image: { repository: "otel/opentelemetry-collector-contrib" },
    command: { name: "otelcol-contrib" },
    presets: {},
    ports: {
      otlp: { enabled: true, containerPort: traceCollector.grpcPort, servicePort: traceCollector.grpcPort, protocol: "TCP" },
      "otlp-http": { enabled: true, containerPort: traceCollector.httpPort, servicePort: traceCollector.httpPort, protocol: "TCP" },
      "jaeger-compact": { enabled: false },
      "jaeger-thrift": { enabled: false },
      "jaeger-grpc": { enabled: false },
      zipkin: { enabled: false },
    },
    config: {
      receivers: {
        otlp: {
          protocols: {
            grpc: { endpoint: `\${env:MY_POD_IP}:${traceCollector.grpcPort}` },
            http: { endpoint: `\${env:MY_POD_IP}:${traceCollector.httpPort}` },
          },
        },
        jaeger: null,
        zipkin: null,
        prometheus: null,
      },
      processors: { batch: {}, memory_limiter: { check_interval: "5s", limit_percentage: 80, spike_limit_percentage: 25 } },
      exporters,
      service: {
        pipelines: {
          traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: Object.keys(exporters) },
          metrics: null,
          logs: null,
        },
      },
    },
    ...(o.keyVault
      ? {
          serviceAccount: { create: true, annotations: { "azure.workload.identity/client-id": o.keyVault.clientId } },
          extraVolumes: [
            {
              name: "secrets",
              csi: {
                driver: "secrets-store.csi.k8s.io",
                readOnly: true,
                volumeAttributes: { secretProviderClass: o.keyVault.secretProviderClass },
              },
            },
          ],
          extraVolumeMounts: [{ name: "secrets", mountPath: secretsDir, readOnly: true }],
        }
      : {}),
    resources: { requests: { cpu: "50m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
    podSecurityContext: restrictedPod(10001),
    securityContext: restrictedContainer(10001),
  };
}
