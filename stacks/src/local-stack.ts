import * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import * as pulumi from "@pulumi/pulumi";
import { servicesWithDatabase } from "@tasks/catalog";
import { NetworkPolicies, PlatformNamespaces, dataNetworkPolicies, namespaces } from "@tasks/infra/k8s/index";
import { KafkaTopics, LocalSecrets, Postgres, Redpanda, postgresPort, redpandaPorts } from "@tasks/infra/local/index";
import { databaseRolesPodLabels } from "@tasks/infra/workload/index";
import { readLocalConfig } from "./config/local.js";
import type { PlatformTarget } from "./contracts.js";
import { createPlatform } from "./platform.js";

const dataPods = { postgres: { "app.kubernetes.io/name": "postgres" }, redpanda: { "app.kubernetes.io/name": "redpanda" } } as const;

/**
 * The local stack on minikube: the platform layer as on AKS, with Postgres and Redpanda in the cluster
 * instead of the Azure services, the catalog's topics created through Redpanda's external listener,
 * Kubernetes secrets instead of Key Vault, and a self-signed CA for TLS.
 * Prerequisites: `minikube start --cni=calico` (policies enforced) and `eval $(minikube docker-env)`
 * (images are built into the node's Docker daemon; see Pulumi.local.yaml).
 */
export async function deployLocalStack(): Promise<Record<string, unknown>> {
  const cfg = readLocalConfig();
  const provider = new k8s.Provider("minikube", { context: cfg.kubeContext, enableServerSideApply: true });
  const k8sOpts = { providers: [provider] };

  const ns = new PlatformNamespaces("platform-namespaces", { withData: true }, k8sOpts);
  const nsDeps = Object.values(ns.byName);
  const externalKafka = `${cfg.minikubeIp}:${cfg.kafkaNodePort}`;
  const redpanda = new Redpanda(
    "redpanda",
    { namespace: namespaces.data, externalAddress: externalKafka, storageSize: cfg.storage.redpanda, dependsOn: nsDeps },
    k8sOpts,
  );
  const password = new random.RandomPassword("postgres-password", { length: 32, special: false });
  const postgres = new Postgres(
    "postgres",
    {
      namespace: namespaces.data,
      databases: servicesWithDatabase().map((s) => s.database),
      password: password.result,
      storageSize: cfg.storage.postgres,
      dependsOn: nsDeps,
    },
    k8sOpts,
  );
  // Each service's own role's password; the superuser password stays with Postgres and the database-roles Job.
  const rolePasswords = Object.fromEntries(
    servicesWithDatabase().map((s) => [s.name, new random.RandomPassword(`${s.name}-db-password`, { length: 32, special: false }).result]),
  );
  const fromWorkloads = { namespace: namespaces.workloads, podLabels: { "app.kubernetes.io/part-of": "tasks" } };
  const fromDatabaseRoles = { namespace: namespaces.workloads, podLabels: databaseRolesPodLabels };
  new NetworkPolicies(
    "data-network-policies",
    {
      policies: dataNetworkPolicies(namespaces.data, [
        { name: "postgres", podLabels: dataPods.postgres, port: postgresPort, from: [fromWorkloads, fromDatabaseRoles] },
        { name: "redpanda", podLabels: dataPods.redpanda, port: redpandaPorts.kafka, from: [fromWorkloads] },
        {
          name: "redpanda-external",
          podLabels: dataPods.redpanda,
          port: redpandaPorts.external,
          from: [{ namespace: namespaces.ingress, podLabels: { "app.kubernetes.io/name": "ingress-nginx" } }],
        },
      ]),
    },
    { ...k8sOpts, dependsOn: nsDeps },
  );
  const secrets = new LocalSecrets(
    "local-secrets",
    { namespace: namespaces.workloads, postgresHost: postgres.host, postgresPort, rolePasswords, smtp: { username: "", password: "" } },
    { ...k8sOpts, dependsOn: nsDeps },
  );

  const target: PlatformTarget = {
    environment: "local",
    kind: "minikube",
    provider,
    highAvailability: false,
    registry: { loginServer: cfg.imageRegistry },
    broker: { kind: "redpanda", brokers: redpanda.internalBrokers },
    secretStore: { kind: "kubernetes" },
    postgres: { host: postgres.host, port: postgresPort, sslMode: "disable" },
    databaseRoles: {
      adminUrl: pulumi.secret(
        pulumi.interpolate`postgres://postgres:${password.result}@${postgres.host}:${postgresPort}/postgres?sslmode=disable`,
      ),
      passwords: rolePasswords,
      dependsOn: [postgres],
    },
    host: cfg.domain,
    tls: { issuer: "selfsigned" },
    egressCidrs: { postgres: [], broker: [], keyvault: [], smtp: [...cfg.smtp.egressCidrs] },
    smtp: { host: cfg.smtp.host, port: cfg.smtp.port, from: cfg.smtp.from },
    inClusterEgress: {
      postgres: { namespace: namespaces.data, podLabels: dataPods.postgres, port: postgresPort },
      broker: { namespace: namespaces.data, podLabels: dataPods.redpanda, port: redpandaPorts.kafka },
    },
    apiServerEgress: { cidrs: [cfg.apiServer.cidr], port: cfg.apiServer.port },
  };
  const platform = createPlatform(target, {
    namespaces: ns,
    workloadDependsOn: [redpanda, postgres, secrets],
    // The topic provider runs on the host: the controller's node port forwards to Redpanda's external listener.
    ingressTcp: [
      {
        port: redpandaPorts.external,
        backend: `${namespaces.data}/redpanda:${redpandaPorts.external}`,
        nodePort: cfg.kafkaNodePort,
        pods: { namespace: namespaces.data, podLabels: dataPods.redpanda },
      },
    ],
  });
  new KafkaTopics("topics", { bootstrapServers: [externalKafka], dependsOn: [redpanda, platform.ingressController] });

  return {
    ...platform.outputs,
    kubeContext: cfg.kubeContext,
    kafkaBootstrapServers: externalKafka,
    kafkaInternalBrokers: redpanda.internalBrokers,
    postgresHost: postgres.host,
    localSecrets: secrets.names,
  };
}
