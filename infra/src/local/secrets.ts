import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { databaseRole, secretStoreContents, type ServiceName } from "@tasks/catalog";
import { vapidKeysFrom } from "../secrets/vapid.js";
import { partOfLabels } from "../k8s/names.js";

export interface LocalSecretsArgs {
  /** Namespace of the workloads (the Kubernetes secret store reads secrets there). */
  readonly namespace: string;
  /** Host of the in-cluster Postgres. */
  readonly postgresHost: string;
  /** Port of the in-cluster Postgres. @default 5432 */
  readonly postgresPort?: number;
  /** The password of each service's own role (catalog databaseRole), by service name. */
  readonly rolePasswords: Readonly<Partial<Record<ServiceName, pulumi.Input<string>>>>;
  /** SMTP credentials of the local relay (empty for a mail catcher without auth). */
  readonly smtp: { readonly username: pulumi.Input<string>; readonly password: pulumi.Input<string> };
}

/**
 * The catalog's secrets for the local stack, one Kubernetes Secret per secret name with a single key of
 * the same name (the layout the Dapr kubernetes secret store, Key Vault and the local file share):
 * generated keys, the SMTP credentials and a database URL per service that owns data, logging in as the
 * service's own role (the database-roles Job creates it). The superuser password is not among them.
 */
export class LocalSecrets extends pulumi.ComponentResource {
  /** Names of the Secrets created. */
  readonly names: string[];

  constructor(name: string, args: LocalSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:local:Secrets", name, {}, opts);
    const child = { parent: this };
    const vapidSeed = new random.RandomBytes(`${name}-vapid`, { length: 32 }, child);
    const vapid = vapidSeed.base64.apply(vapidKeysFrom);
    const values = secretStoreContents<pulumi.Input<string>>({
      smtpUsername: args.smtp.username,
      smtpPassword: args.smtp.password,
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      databaseUrl: (s) => {
        const password = args.rolePasswords[s.name];
        if (password === undefined)
          throw new pulumi.ResourceError(`rolePasswords.${s.name}: missing; every service with a database connects as its own role`, this);
        return pulumi.interpolate`postgres://${databaseRole(s.name)}:${password}@${args.postgresHost}:${args.postgresPort ?? 5432}/${s.database}?sslmode=disable`;
      },
    });
    this.names = Object.keys(values).sort();
    for (const [secret, value] of Object.entries(values)) {
      new k8s.core.v1.Secret(
        `${name}-${secret}`,
        {
          metadata: { name: secret, namespace: args.namespace, labels: { ...partOfLabels } },
          type: "Opaque",
          stringData: { [secret]: pulumi.secret(value) },
        },
        child,
      );
    }
    this.registerOutputs({});
  }
}
