import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type * as k8s from "@pulumi/kubernetes";
import { allServices, services } from "@tasks/catalog";
import type { PlatformTarget } from "../src/contracts.js";
import { networkInput, platformTargetProblems, smtpEnvironment } from "../src/platform.js";

/** Today's five services as a fixture: a service added to the catalog does not change these expectations. */
const fixture = [services["tasks-api"], services.recurrence, services.notifications, services.audit, services.realtime];

const aks = (over: Partial<PlatformTarget> = {}): PlatformTarget => ({
  environment: "dev",
  kind: "aks",
  provider: {} as k8s.Provider,
  highAvailability: false,
  monitoring: { retention: "7d", storageSize: "20Gi" },
  tracingSamplingRate: "1",
  registry: { loginServer: "acr.example.com" },
  broker: { kind: "eventhubs", namespaceName: "ehns" },
  secretStore: { kind: "keyvault", vaultName: "kv", tenantId: "t" },
  postgres: { host: "pg.example.com", port: 5432, sslMode: "require" },
  databaseRoles: { adminUrl: "postgres://admin:pw@pg.example.com:5432/postgres", passwords: {} },
  identities: Object.fromEntries(allServices.map((s) => [s.name, `${s.name}-client-id`])),
  host: "tasks.example.com",
  tls: { issuer: "letsencrypt-staging", acmeEmail: "ops@example.com" },
  egressCidrs: { postgres: ["10.0.1.0/24"], broker: ["10.0.2.0/24"], keyvault: ["10.0.2.0/24"], smtp: ["198.51.100.0/24"] },
  smtp: { host: "smtp.example.com", port: 587, from: "tasks@example.com" },
  alerting: { email: ["oncall@example.com"] },
  platformIdentities: { monitoring: "monitoring-client-id", keda: "keda-client-id" },
  ...over,
});

describe("platform target validation", () => {
  it("accepts a complete AKS target", () => {
    assert.deepEqual(platformTargetProblems(aks()), []);
  });

  it("names every missing or inconsistent field", () => {
    const { "tasks-api": _, ...identities } = aks().identities!;
    assert.deepEqual(
      platformTargetProblems(
        aks({
          identities,
          tls: { issuer: "selfsigned" },
          egressCidrs: { postgres: [], broker: [], keyvault: [], smtp: [] },
          databaseRoles: undefined,
          alerting: { email: [] },
          platformIdentities: undefined,
        }),
      ),
      [
        'tls.issuer: AKS stacks use a Let\'s Encrypt issuer, not "selfsigned"',
        "tls.acmeEmail: Let's Encrypt issuers need a contact email",
        "alerting.email: at least one address receives the alerts",
        "platformIdentities: AKS monitoring pods and KEDA read Key Vault with their own identities",
        "identities.tasks-api: missing workload identity client id",
        "egressCidrs.postgres: empty, and no inClusterEgress.postgres: services could not reach the database",
        "databaseRoles: services with a database connect as their own roles; give the admin URL and a password per service",
        "egressCidrs.broker: empty, and no inClusterEgress.broker: services could not reach the broker",
        "egressCidrs.keyvault: empty: sidecars could not reach Key Vault",
        "egressCidrs.smtp: empty: email could not be sent",
      ],
    );
    assert.deepEqual(platformTargetProblems(aks({ kind: "minikube", secretStore: { kind: "kubernetes" } })), [
      'tls.issuer: minikube cannot answer ACME HTTP-01 challenges; use "selfsigned", not "letsencrypt-staging"',
      "apiServerEgress: minikube sidecars read Kubernetes secrets and need the API server's address",
    ]);
  });

  it("only asks for what the services use", () => {
    assert.deepEqual(
      platformTargetProblems(aks({ egressCidrs: { postgres: [], broker: ["10.0.2.0/24"], keyvault: [], smtp: [] } }), [
        services.recurrence,
      ]),
      [],
    );
  });

  it("sends sidecars to Entra ID on 443 for workload identity, and to the API server on minikube", () => {
    const extra = networkInput(aks(), fixture).additionalEgress!;
    // recurrence reads no secret itself, but its sidecar loads the Key Vault store for the Event Hubs connection string.
    assert.deepEqual(
      extra.map((e) => [e.apps.join(), e.destination.port, e.destination.cidrs]),
      [
        // Every sidecar exports its traces over OTLP to the collector (an in-cluster peer: no CIDR).
        [fixture.map((f) => f.name).join(), 4317, undefined],
        ["recurrence", 443, ["10.0.2.0/24"]],
        ["tasks-api,notifications,audit,realtime,recurrence", 443, ["0.0.0.0/0"]],
      ],
    );
    assert.deepEqual(networkInput(aks({ identityEgressCidrs: ["20.190.128.0/18"] }), fixture).additionalEgress![2]!.destination, {
      port: 443,
      cidrs: ["20.190.128.0/18"],
    });
    const local = networkInput(aks({ kind: "minikube", apiServerEgress: { cidrs: ["192.168.49.2/32"], port: 8443 } }), fixture);
    assert.deepEqual(local.additionalEgress, [
      {
        apps: fixture.map((f) => f.name),
        destination: {
          port: 4317,
          peers: [{ namespace: "monitoring", podLabels: { "app.kubernetes.io/name": "opentelemetry-collector" } }],
        },
      },
      { apps: ["tasks-api", "notifications", "audit", "realtime"], destination: { port: 8443, cidrs: ["192.168.49.2/32"] } },
    ]);
    assert.equal(local.egress.keyvault, undefined);
  });

  it("derives the notifications mail settings from the relay's port", () => {
    assert.equal(smtpEnvironment(aks()).SMTP_TLS, "starttls");
    assert.equal(smtpEnvironment(aks({ smtp: { host: "h", port: 465, from: "a@b.c" } })).SMTP_TLS, "implicit");
    assert.deepEqual(smtpEnvironment(aks()).VAPID_SUBJECT, "mailto:tasks@example.com");
  });
});
