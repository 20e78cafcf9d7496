import * as pulumi from "@pulumi/pulumi";

export interface PostgresEndpoint {
  readonly host: pulumi.Input<string>;
  readonly user: pulumi.Input<string>;
  readonly password: pulumi.Input<string>;
  /** @default 5432 */
  readonly port?: number;
}

/** `postgres://user:password@host:port/db?sslmode=require` as a secret; the server rejects non-TLS clients. */
export function postgresUrl(endpoint: PostgresEndpoint, database: string): pulumi.Output<string> {
  return pulumi.secret(
    pulumi
      .all([endpoint.host, endpoint.user, endpoint.password])
      .apply(
        ([host, user, password]) =>
          `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${host}:${endpoint.port ?? 5432}/${encodeURIComponent(database)}?sslmode=require`,
      ),
  );
}
