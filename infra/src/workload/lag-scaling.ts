import type * as pulumi from "@pulumi/pulumi";
import { consumerGroupOf, defaultLagPerReplica, platformSecretNames, type ServiceSpec } from "@tasks/catalog";
import { appLabels } from "../k8s/names.js";

export const kedaApiVersion = "keda.sh/v1alpha1";
/** The TriggerAuthentication every lag trigger on Event Hubs uses. */
export const brokerTriggerAuthName = "kafka-broker";

/** How KEDA reads the broker a service consumes from. */
export interface LagScaling {
  /** Kafka bootstrap servers. */
  readonly bootstrapServers: pulumi.Input<string>;
  /** Event Hubs: SASL PLAIN over TLS, the credentials from the TriggerAuthentication. Absent: plaintext (Redpanda). */
  readonly authenticated: boolean;
}

/**
 * A KEDA ScaledObject for a consumer: one kafka trigger per subscribed topic on the service's consumer group
 * (its lag at the broker divided by `lagPerReplica` is the replicas it asks for), plus the catalog's CPU target,
 * between the catalog's bounds. KEDA owns the HPA it creates (keda-hpa-<name>); the Deployment has no replicas.
 * KEDA asks for at most as many replicas as a topic has partitions (idle consumers would get none); the CPU
 * trigger can go beyond, up to `max`.
 */
export function scaledObjectManifest(s: ServiceSpec, namespace: string, scaling: LagScaling) {
  const group = consumerGroupOf(s);
  if (!group) throw new Error(`${s.name}: only a service with a shared consumer group scales on lag`);
  const lag = String(s.scaling.lagPerReplica ?? defaultLagPerReplica);
  return {
    apiVersion: kedaApiVersion,
    kind: "ScaledObject",
    metadata: { name: s.name, namespace, labels: appLabels(s.name) },
    spec: {
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: s.name },
      minReplicaCount: s.scaling.min,
      maxReplicaCount: s.scaling.max,
      pollingInterval: 15,
      cooldownPeriod: 300,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } },
      triggers: [
        ...s.subscribes.map((sub) => ({
          type: "kafka",
          name: `lag-${sub.topic.replace(/\./g, "-")}`,
          metadata: {
            bootstrapServers: scaling.bootstrapServers,
            consumerGroup: group,
            topic: sub.topic,
            lagThreshold: lag,
            activationLagThreshold: "0",
            // Dapr's pub/sub starts a new group at the oldest offset (initialOffset: oldest).
            offsetResetPolicy: "earliest",
            ...(scaling.authenticated ? { sasl: "plaintext", tls: "enable" } : {}),
          },
          ...(scaling.authenticated ? { authenticationRef: { name: brokerTriggerAuthName } } : {}),
        })),
        { type: "cpu", metricType: "Utilization", metadata: { value: String(s.scaling.targetCpuPercent) } },
      ],
    },
  };
}

/**
 * The broker credentials of the lag triggers on Event Hubs: KEDA's operator reads the SASL user name and a
 * listen-only connection string from Key Vault with its own workload identity (no Secret in the cluster).
 */
export function brokerTriggerAuthManifest(namespace: string, vault: { uri: pulumi.Input<string>; kedaClientId: pulumi.Input<string> }) {
  return {
    apiVersion: kedaApiVersion,
    kind: "TriggerAuthentication",
    metadata: { name: brokerTriggerAuthName, namespace, labels: { "app.kubernetes.io/part-of": "tasks" } },
    spec: {
      azureKeyVault: {
        vaultUri: vault.uri,
        podIdentity: { provider: "azure-workload", identityId: vault.kedaClientId },
        secrets: [
          { parameter: "username", name: platformSecretNames.brokerSaslUsername },
          { parameter: "password", name: platformSecretNames.brokerListenConnectionString },
        ],
      },
    },
  };
}
