import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainer, restrictedPod } from "../k8s/security.js";
import { partOfLabels } from "../k8s/names.js";

/** Docker Hub mirror of Redpanda's image, pulled by the minikube node like the other local images. */
export const redpandaImage = "redpandadata/redpanda:v24.2.7";
export const redpandaLabels = { "app.kubernetes.io/name": "redpanda", ...partOfLabels } as const;
export const redpandaPorts = { kafka: 9092, external: 19092, admin: 9644, rpc: 33145 } as const;

export interface RedpandaArgs {
  readonly namespace: string;
  /**
   * host:port clients outside the cluster use (the Pulumi Kafka provider creating topics), advertised on
   * the external listener; on minikube the ingress controller forwards that node port to it.
   */
  readonly externalAddress: string;
  /** @default "5Gi" */
  readonly storageSize?: string;
  /** @default redpandaImage */
  readonly image?: string;
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A single-node Redpanda (Kafka API) StatefulSet with a persistent volume, for the local stack. */
export class Redpanda extends pulumi.ComponentResource {
  /** Bootstrap address for clients inside the cluster (the Dapr sidecars). */
  readonly internalBrokers: string;
  readonly statefulSet: k8s.apps.v1.StatefulSet;

  constructor(name: string, args: RedpandaArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:local:Redpanda", name, {}, opts);
    if (!/^[^:\s]+:\d+$/.test(args.externalAddress)) {
      throw new pulumi.ResourceError(`externalAddress: expected host:port, got "${args.externalAddress}"`, this);
    }
    const host = `redpanda-0.redpanda.${args.namespace}.svc.cluster.local`;
    this.internalBrokers = `${host}:${redpandaPorts.kafka}`;
    const p = redpandaPorts;
    const meta = { name: "redpanda", namespace: args.namespace, labels: { ...redpandaLabels } };
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: meta,
        spec: {
          clusterIP: "None",
          publishNotReadyAddresses: true,
          selector: { "app.kubernetes.io/name": "redpanda" },
          ports: [
            { name: "kafka", port: p.kafka, targetPort: p.kafka },
            { name: "external", port: p.external, targetPort: p.external },
            { name: "admin", port: p.admin, targetPort: p.admin },
            { name: "rpc", port: p.rpc, targetPort: p.rpc },
          ],
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.statefulSet = new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: meta,
        spec: {
          serviceName: "redpanda",
          replicas: 1,
          selector: { matchLabels: { "app.kubernetes.io/name": "redpanda" } },
          template: {
            metadata: { labels: { ...redpandaLabels } },
            spec: {
              automountServiceAccountToken: false,
              securityContext: restrictedPod(101, { fsGroupChangePolicy: "OnRootMismatch" }),
              containers: [redpandaContainer(args.image ?? redpandaImage, host, args.externalAddress)],
              volumes: [
                { name: "config", emptyDir: { sizeLimit: "16Mi" } },
                { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
              ],
            },
          },
          volumeClaimTemplates: [
            {
              metadata: { name: "data" },
              spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: args.storageSize ?? "5Gi" } } },
            },
          ],
        },
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.registerOutputs({ internalBrokers: this.internalBrokers });
  }
}

/** The Redpanda container: one dev-mode broker, internal and external Kafka listeners, on volumes only. */
function redpandaContainer(image: string, host: string, externalAddress: string): k8s.types.input.core.v1.Container {
  const p = redpandaPorts;
  return {
    name: "redpanda",
    image,
    args: [
      "redpanda",
      "start",
      "--mode=dev-container",
      "--smp=1",
      "--memory=1G",
      "--reserve-memory=0M",
      "--overprovisioned",
      "--node-id=0",
      "--check=false",
      "--default-log-level=info",
      `--kafka-addr=internal://0.0.0.0:${p.kafka},external://0.0.0.0:${p.external}`,
      `--advertise-kafka-addr=internal://${host}:${p.kafka},external://${externalAddress}`,
      `--rpc-addr=0.0.0.0:${p.rpc}`,
      `--advertise-rpc-addr=${host}:${p.rpc}`,
    ],
    ports: [
      { name: "kafka", containerPort: p.kafka },
      { name: "external", containerPort: p.external },
      { name: "admin", containerPort: p.admin },
      { name: "rpc", containerPort: p.rpc },
    ],
    resources: { requests: { cpu: "250m", memory: "1280Mi" }, limits: { cpu: "1", memory: "1536Mi" } },
    readinessProbe: { httpGet: { path: "/v1/status/ready", port: "admin" }, periodSeconds: 5, failureThreshold: 6 },
    livenessProbe: { tcpSocket: { port: "kafka" }, initialDelaySeconds: 20, periodSeconds: 10 },
    startupProbe: { tcpSocket: { port: "kafka" }, periodSeconds: 5, failureThreshold: 30 },
    securityContext: restrictedContainer(101),
    volumeMounts: [
      { name: "data", mountPath: "/var/lib/redpanda/data" },
      // The container writes its generated redpanda.yaml at start.
      { name: "config", mountPath: "/etc/redpanda" },
      { name: "tmp", mountPath: "/tmp" },
    ],
  };
}
