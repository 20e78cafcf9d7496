import * as pulumi from "@pulumi/pulumi";
import { namespaces } from "@tasks/infra/k8s/index";
import { localIdp, postgresPort, redpandaPorts } from "@tasks/infra/local/index";
import { byoIdentity, identityVerification } from "../config/identity.js";
import { ingressRateLimits } from "../config/ingress-rate-limit.js";
import type { PlatformTarget, ServiceIdentity } from "../contracts.js";
import type { PlatformOptions } from "../platform.js";
import { dataPods, type LocalContext, type LocalData } from "./data.js";

/** Step 2 of the local stack: what the Kubernetes platform layer gets from minikube and the in-cluster data services. */
export function localPlatformTarget(ctx: LocalContext, data: LocalData): PlatformTarget {
  const { cfg } = ctx;
  const { postgres, redpanda } = data;
  return {
    environment: "local",
    kind: "minikube",
    provider: ctx.provider,
    highAvailability: false,
    monitoring: { retention: cfg.monitoring.retention },
    tracingSamplingRate: cfg.dapr.tracingSamplingRate,
    registry: { loginServer: cfg.imageRegistry },
    broker: { kind: "redpanda", brokers: redpanda.internalBrokers },
    secretStore: { kind: "kubernetes" },
    postgres: { host: postgres.host, port: postgresPort, sslMode: "disable" },
    databaseRoles: {
      adminUrl: pulumi.secret(
        pulumi.interpolate`postgres://postgres:${data.password.result}@${postgres.host}:${postgresPort}/postgres?sslmode=disable`,
      ),
      passwords: data.rolePasswords,
      dependsOn: [postgres],
    },
    identity: localIdentity(ctx, data),
    host: cfg.domain,
    ingressRateLimits: ingressRateLimits(cfg.ingressRateLimit),
    tls: { issuer: "selfsigned" },
    egressCidrs: { postgres: [], broker: [], keyvault: [], smtp: [...cfg.smtp.egressCidrs] },
    smtp: { host: cfg.smtp.host, port: cfg.smtp.port, from: cfg.smtp.from },
    inClusterEgress: {
      postgres: { namespace: namespaces.data, podLabels: dataPods.postgres, port: postgresPort },
      broker: { namespace: namespaces.data, podLabels: dataPods.redpanda, port: redpandaPorts.kafka },
    },
    apiServerEgress: { cidrs: [cfg.apiServer.cidr], port: cfg.apiServer.port },
    alerting: { email: cfg.alerting.email },
    traces: { exporter: "debug" },
  };
}

/** The in-cluster OpenID Provider's issuer, audience and JWKS (provider local), or the stack's own provider (oidc). */
function localIdentity(ctx: LocalContext, data: LocalData): ServiceIdentity {
  const id = ctx.cfg.identity;
  const idp = data.identityProvider;
  if (!idp) return byoIdentity(id);
  return {
    ...identityVerification(id),
    issuer: idp.issuer,
    audience: idp.audience,
    jwksUrl: idp.jwksUrl,
    inClusterProvider: { namespace: namespaces.data, podLabels: localIdp.podLabels, port: localIdp.port },
  };
}

/** The ingress controller forwards Kafka to Redpanda's external listener: the topic provider runs on the host. */
export function kafkaPassthrough(ctx: LocalContext): NonNullable<PlatformOptions["ingressTcp"]> {
  return [
    {
      name: "kafka",
      port: redpandaPorts.external,
      backend: { namespace: namespaces.data, service: "redpanda", port: redpandaPorts.external },
      nodePort: ctx.cfg.kafkaNodePort,
      pods: { namespace: namespaces.data, podLabels: dataPods.redpanda },
    },
  ];
}
