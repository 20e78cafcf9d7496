import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { databaseRole, serviceUid, servicesWithDatabase, type ResourceSpec, type ServiceName, type ServiceSpec } from "@tasks/catalog";
import { destinationPeers, policy, tcp, type EgressDestination, type NetworkPolicyManifest } from "../k8s/network-policies/build.js";
import { partOfLabels } from "../k8s/names.js";
import { restrictedContainer, restrictedPod } from "../k8s/security.js";

/** Name of the Secret and prefix of the Job (Pulumi appends a suffix: a new Job on every relevant change). */
export const databaseRolesName = "database-roles";

/**
 * Labels of the Job's pod. Deliberately without app.kubernetes.io/part-of: every pod carrying it gets the
 * workload namespace's Dapr control-plane egress, and this pod may reach Postgres and DNS only.
 */
export const databaseRolesPodLabels: Readonly<Record<string, string>> = {
  "app.kubernetes.io/name": databaseRolesName,
  "app.kubernetes.io/component": "database-roles",
};

/** Where the Secret is mounted in the pod; the CLI reads it as DB_ROLES_DIR. */
export const databaseRolesMountPath = "/run/secrets/db-roles";

/** The CLI in the tasks-api image (apps/Dockerfile copies apps/shared/src into every image). */
export const databaseRolesCommand = ["node", "--import", "tsx", "/app/apps/shared/src/bin/db-roles.ts"] as const;

export interface DatabaseRolesArgs {
  readonly namespace: string;
  /** An image with apps/shared/src and tsx (any service image; the platform uses the tasks-api one). */
  readonly image: pulumi.Input<string>;
  /** The server administrator's URL (any database: the CLI connects to each service's); secret. */
  readonly adminUrl: pulumi.Input<string>;
  /** The password of every catalog service with a database, by service name; secret. */
  readonly passwords: Readonly<Partial<Record<ServiceName, pulumi.Input<string>>>>;
  /** @default serviceUid from the catalog (the image's USER) */
  readonly runAsUser?: number;
  /** @default 50m/96Mi requested, 500m/256Mi limit */
  readonly resources?: ResourceSpec;
  /** Pod retries before the Job fails (and with it the deployment). @default 4 */
  readonly backoffLimit?: number;
  /** @default 600 */
  readonly activeDeadlineSeconds?: number;
  /** What must exist first: the databases, the Job's NetworkPolicy. */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** The Job pod's egress: Postgres only (DNS comes from the namespace's allow-dns policy). */
export function databaseRolesNetworkPolicy(namespace: string, postgres: EgressDestination): NetworkPolicyManifest {
  const peers = destinationPeers(postgres);
  if (peers.length === 0) throw new Error("databaseRolesNetworkPolicy: the Postgres destination has neither CIDRs nor pods");
  return policy(
    namespace,
    `${databaseRolesName}-egress`,
    { ...databaseRolesPodLabels },
    { egress: [{ to: peers, ports: tcp(postgres.port) }] },
  );
}

/** Problems with the passwords: each catalog service with a database needs one, and only those. */
export function databaseRolesProblems(
  passwords: DatabaseRolesArgs["passwords"],
  services: readonly ServiceSpec[] = servicesWithDatabase(),
): string[] {
  const expected = services.filter((s) => s.database).map((s) => s.name);
  return [
    ...expected
      .filter((s) => passwords[s] === undefined)
      .map((s) => `passwords.${s}: missing (the CLI ensures every catalog service with a database)`),
    ...Object.keys(passwords)
      .filter((k) => !expected.includes(k as ServiceName))
      .map((k) => `passwords.${k}: not a catalog service with a database`),
  ];
}

/**
 * Gives every service with a database its own login role (apps/shared db-roles.ts) before the services
 * start: a Secret with `admin-url` and `<service>-password` mounted read-only as files, and a Job running
 * the db-roles CLI in a restricted pod without a Dapr sidecar or API token. Make the Deployments depend
 * on `job`: the Kubernetes provider waits for a Job to complete.
 *
 * Re-runs: the pod template carries a SHA-256 of the Secret's content (roles, passwords, admin URL), so a
 * new role or a rotated password changes the template, as does a new image; the Job is then replaced
 * (replaceOnChanges), under a new generated name, created before the old one is deleted. A finished Job is
 * kept (no TTL) until then: it is what the state says exists, and its pod's log stays readable.
 */
export class DatabaseRoles extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;
  readonly secret: k8s.core.v1.Secret;

  constructor(name: string, args: DatabaseRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:workload:DatabaseRoles", name, {}, opts);
    const problems = databaseRolesProblems(args.passwords);
    if (problems.length) throw new pulumi.ResourceError(`DatabaseRoles "${name}": ${problems.join("; ")}`, this);
    const labels = { ...databaseRolesPodLabels, ...partOfLabels };
    const data: Record<string, pulumi.Input<string>> = { "admin-url": args.adminUrl };
    for (const s of servicesWithDatabase()) data[`${s.name}-password`] = args.passwords[s.name]!;
    const content = contentDigest(data);

    this.secret = new k8s.core.v1.Secret(
      `${name}-secret`,
      {
        metadata: { name: databaseRolesName, namespace: args.namespace, labels },
        type: "Opaque",
        stringData: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, pulumi.secret(v)])),
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    this.job = new k8s.batch.v1.Job(
      `${name}-job`,
      {
        metadata: {
          namespace: args.namespace,
          labels,
          annotations: {
            "tasks-platform.dev/roles": servicesWithDatabase()
              .map((s) => databaseRole(s.name))
              .join(","),
          },
        },
        spec: {
          backoffLimit: args.backoffLimit ?? 4,
          // No ttlSecondsAfterFinished: the TTL controller would delete the Job the state holds, so every refresh
          // (the nightly drift check) would find it gone and every up would run it again for nothing.
          activeDeadlineSeconds: args.activeDeadlineSeconds ?? 600,
          template: {
            metadata: {
              labels: { ...databaseRolesPodLabels },
              annotations: { "dapr.io/enabled": "false", "tasks-platform.dev/secret-sha256": content },
            },
            spec: rolesPodSpec(args),
          },
        },
      },
      { parent: this, dependsOn: [this.secret, ...(args.dependsOn ?? [])], replaceOnChanges: ["spec"] },
    );
    this.registerOutputs({});
  }
}

/**
 * A digest of the Secret's content. A digest of 32-character generated passwords reveals nothing:
 * unsecret, so the pod template stays readable by the policy pack and in previews (a secret value
 * would hide the whole spec).
 */
function contentDigest(data: Record<string, pulumi.Input<string>>): pulumi.Output<string> {
  return pulumi.unsecret(
    pulumi.all(data).apply((d) => {
      const h = createHash("sha256");
      for (const k of Object.keys(d).sort()) h.update(`${k}\0${d[k]}\0`);
      return h.digest("hex");
    }),
  );
}

/** The Job's pod: restricted, without the API token, the Secret mounted read-only as files. */
function rolesPodSpec(args: DatabaseRolesArgs): k8s.types.input.core.v1.PodSpec {
  const uid = args.runAsUser ?? serviceUid;
  const r = args.resources ?? { cpuRequest: "50m", memoryRequest: "96Mi", cpuLimit: "500m", memoryLimit: "256Mi" };
  return {
    restartPolicy: "Never",
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: restrictedPod(uid, { fsGroupChangePolicy: "OnRootMismatch" }),
    containers: [
      {
        name: databaseRolesName,
        image: args.image,
        imagePullPolicy: "IfNotPresent",
        command: [...databaseRolesCommand],
        env: [
          { name: "DB_ROLES_DIR", value: databaseRolesMountPath },
          { name: "NODE_ENV", value: "production" },
        ],
        resources: {
          requests: { cpu: r.cpuRequest, memory: r.memoryRequest },
          limits: { cpu: r.cpuLimit, memory: r.memoryLimit },
        },
        securityContext: restrictedContainer(uid),
        volumeMounts: [
          { name: "db-roles", mountPath: databaseRolesMountPath, readOnly: true },
          { name: "tmp", mountPath: "/tmp" },
        ],
      },
    ],
    volumes: [
      { name: "db-roles", secret: { secretName: databaseRolesName, defaultMode: 0o440 } },
      { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
    ],
  };
}
