import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { restrictedContainer, restrictedPod } from "../k8s/security.js";
import { partOfLabels } from "../k8s/names.js";

export const postgresImage = "postgres:16.6-bookworm";
export const postgresLabels = { "app.kubernetes.io/name": "postgres", ...partOfLabels } as const;
export const postgresPort = 5432;
/** uid of the `postgres` user in the Debian-based image. */
const postgresUid = 999;

/** SQL that creates one database per name; names come from the catalog and are checked to be identifiers. */
export function initDatabasesSql(databases: readonly string[]): string {
  for (const d of databases) if (!/^[a-z_][a-z0-9_]*$/.test(d)) throw new Error(`databases: "${d}" is not a plain lower-case identifier`);
  return databases.map((d) => `CREATE DATABASE ${d};`).join("\n") + "\n";
}

export interface PostgresArgs {
  readonly namespace: string;
  /** Databases to create on first start (one per service that owns data). */
  readonly databases: readonly string[];
  /** Superuser password; mounted as a file, never an environment value. */
  readonly password: pulumi.Input<string>;
  /** @default "5Gi" */
  readonly storageSize?: string;
  /** @default postgresImage */
  readonly image?: string;
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** A single PostgreSQL StatefulSet with a persistent volume and one database per service, for the local stack. */
export class Postgres extends pulumi.ComponentResource {
  readonly host: string;

  constructor(name: string, args: PostgresArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:local:Postgres", name, {}, opts);
    const sql = initSql(args.databases, this);
    this.host = `postgres.${args.namespace}.svc.cluster.local`;
    const meta = (n: string) => ({ name: n, namespace: args.namespace, labels: { ...postgresLabels } });
    const child = { parent: this, dependsOn: args.dependsOn };
    const secret = new k8s.core.v1.Secret(
      `${name}-superuser`,
      { metadata: meta("postgres-superuser"), type: "Opaque", stringData: { password: args.password } },
      child,
    );
    const init = new k8s.core.v1.ConfigMap(`${name}-init`, { metadata: meta("postgres-init"), data: { "01-databases.sql": sql } }, child);
    new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: meta("postgres"),
        spec: {
          type: "ClusterIP",
          selector: { "app.kubernetes.io/name": "postgres" },
          ports: [{ name: "postgres", port: postgresPort, targetPort: postgresPort }],
        },
      },
      child,
    );
    new k8s.apps.v1.StatefulSet(
      `${name}-statefulset`,
      {
        metadata: meta("postgres"),
        spec: {
          serviceName: "postgres",
          replicas: 1,
          selector: { matchLabels: { "app.kubernetes.io/name": "postgres" } },
          template: {
            metadata: { labels: { ...postgresLabels } },
            spec: {
              automountServiceAccountToken: false,
              securityContext: restrictedPod(postgresUid, { fsGroupChangePolicy: "OnRootMismatch" }),
              containers: [postgresContainer(args.image ?? postgresImage)],
              volumes: [
                { name: "run", emptyDir: { sizeLimit: "16Mi" } },
                { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                { name: "init", configMap: { name: "postgres-init" } },
                { name: "superuser", secret: { secretName: "postgres-superuser", defaultMode: 0o400 } },
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
      { parent: this, dependsOn: [secret, init, ...(args.dependsOn ?? [])] },
    );
    this.registerOutputs({ host: this.host });
  }
}

/** The postgres container: password from a mounted file, pg_isready probes, writable paths only on volumes. */
function postgresContainer(image: string): k8s.types.input.core.v1.Container {
  return {
    name: "postgres",
    image,
    env: [
      { name: "PGDATA", value: "/var/lib/postgresql/data/pgdata" },
      { name: "POSTGRES_USER", value: "postgres" },
      // The image reads the password from this file: no secret value in the environment.
      { name: "POSTGRES_PASSWORD_FILE", value: "/run/secrets/postgres/password" },
    ],
    ports: [{ name: "postgres", containerPort: postgresPort }],
    resources: { requests: { cpu: "100m", memory: "256Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    readinessProbe: { exec: { command: ["pg_isready", "-U", "postgres", "-h", "127.0.0.1"] }, periodSeconds: 5 },
    livenessProbe: {
      exec: { command: ["pg_isready", "-U", "postgres", "-h", "127.0.0.1"] },
      initialDelaySeconds: 30,
      periodSeconds: 10,
    },
    startupProbe: {
      exec: { command: ["pg_isready", "-U", "postgres", "-h", "127.0.0.1"] },
      periodSeconds: 2,
      failureThreshold: 60,
    },
    securityContext: restrictedContainer(postgresUid),
    volumeMounts: [
      { name: "data", mountPath: "/var/lib/postgresql/data" },
      { name: "run", mountPath: "/var/run/postgresql" },
      { name: "tmp", mountPath: "/tmp" },
      { name: "init", mountPath: "/docker-entrypoint-initdb.d", readOnly: true },
      { name: "superuser", mountPath: "/run/secrets/postgres", readOnly: true },
    ],
  };
}

function initSql(databases: readonly string[], self: pulumi.Resource): string {
  if (databases.length === 0) throw new pulumi.ResourceError("databases: give at least one database to create", self);
  try {
    return initDatabasesSql(databases);
  } catch (e) {
    throw new pulumi.ResourceError((e as Error).message, self);
  }
}
