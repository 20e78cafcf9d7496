import type * as k8s from "@pulumi/kubernetes";
import * as random from "@pulumi/random";
import type * as pulumi from "@pulumi/pulumi";
import { servicesWithDatabase } from "@tasks/catalog";
import {
  NetworkPolicies,
  chartPodLabels,
  dataNetworkPolicies,
  kedaNamespace,
  kedaOperatorPodLabels,
  lagExporterPodLabels,
  namespaces,
  partOfLabels,
} from "@tasks/infra/k8s/index";
import { LocalIdentityProvider, LocalSecrets, Postgres, Redpanda, localIdp, postgresPort, redpandaPorts } from "@tasks/infra/local/index";
import { AppImage, databaseRolesPodLabels } from "@tasks/infra/workload/index";
import type { LocalConfig } from "../config/local.js";

export const dataPods = { postgres: { "app.kubernetes.io/name": "postgres" }, redpanda: { "app.kubernetes.io/name": "redpanda" } } as const;

export interface LocalContext {
  readonly cfg: LocalConfig;
  readonly provider: k8s.Provider;
  readonly k8sOpts: pulumi.ComponentResourceOptions;
  readonly nsDeps: pulumi.Resource[];
  /** Where the host reaches Redpanda: the minikube node port the ingress controller forwards. */
  readonly externalKafka: string;
}

export interface LocalData {
  readonly redpanda: Redpanda;
  readonly postgres: Postgres;
  /** The superuser's password: only Postgres and the database-roles Job see it. */
  readonly password: random.RandomPassword;
  readonly rolePasswords: Record<string, pulumi.Output<string>>;
  readonly secrets: LocalSecrets;
  /** The in-cluster OpenID Provider (identity.provider local). */
  readonly identityProvider?: LocalIdentityProvider;
}

/**
 * Step 1 of the local stack: Redpanda and Postgres in the data namespace, their network policies, and
 * the Kubernetes secrets the Dapr secret store serves.
 */
export function createLocalData(ctx: LocalContext): LocalData {
  const { cfg, k8sOpts, nsDeps } = ctx;
  const redpanda = new Redpanda(
    "redpanda",
    { namespace: namespaces.data, externalAddress: ctx.externalKafka, storageSize: cfg.storage.redpanda, dependsOn: nsDeps },
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
  createDataNetworkPolicies(ctx);
  const identityProvider = cfg.identity.provider === "local" ? createIdentityProvider(ctx) : undefined;
  const secrets = new LocalSecrets(
    "local-secrets",
    { namespace: namespaces.workloads, postgresHost: postgres.host, postgresPort, rolePasswords, smtp: { username: "", password: "" } },
    { ...k8sOpts, dependsOn: nsDeps },
  );
  return { redpanda, postgres, password, rolePasswords, secrets, ...(identityProvider ? { identityProvider } : {}) };
}

/** The OpenID Provider of the local stack (apps/local-idp), its image built into the node like the services'. */
function createIdentityProvider(ctx: LocalContext): LocalIdentityProvider {
  const image = new AppImage("image-local-idp", { service: localIdp.name, registry: ctx.cfg.imageRegistry, output: "load" });
  return new LocalIdentityProvider(
    localIdp.name,
    { namespace: namespaces.data, image: image.imageName, host: ctx.cfg.domain, dependsOn: [...ctx.nsDeps, image] },
    ctx.k8sOpts,
  );
}

/** Who may reach the data pods: the services and the database-roles Job; the ingress for Redpanda's external listener. */
function createDataNetworkPolicies(ctx: LocalContext): NetworkPolicies {
  const fromWorkloads = { namespace: namespaces.workloads, podLabels: { ...partOfLabels } };
  const fromDatabaseRoles = { namespace: namespaces.workloads, podLabels: databaseRolesPodLabels };
  const fromIngress = { namespace: namespaces.ingress, podLabels: { ...chartPodLabels.ingressController } };
  return new NetworkPolicies(
    "data-network-policies",
    {
      policies: dataNetworkPolicies(namespaces.data, [
        { name: "postgres", podLabels: dataPods.postgres, port: postgresPort, from: [fromWorkloads, fromDatabaseRoles] },
        // The lag exporter and KEDA read the consumer groups' offsets.
        {
          name: "redpanda",
          podLabels: dataPods.redpanda,
          port: redpandaPorts.kafka,
          from: [
            fromWorkloads,
            { namespace: namespaces.monitoring, podLabels: lagExporterPodLabels },
            { namespace: kedaNamespace, podLabels: kedaOperatorPodLabels },
          ],
        },
        // The public services fetch its JWKS; browsers and scripts reach it through the Gateway (Traefik).
        { name: "local-idp", podLabels: localIdp.podLabels, port: localIdp.port, from: [fromWorkloads, fromIngress] },
        {
          name: "redpanda-external",
          podLabels: dataPods.redpanda,
          port: redpandaPorts.external,
          from: [fromIngress],
        },
      ]),
    },
    { ...ctx.k8sOpts, dependsOn: ctx.nsDeps },
  );
}
