import * as pulumi from "@pulumi/pulumi";
import { allServices, daprComponents, daprConfigurationFor, type EgressTarget, type ServiceName, type ServiceSpec } from "@tasks/catalog";
import { DaprResources, daprResources, type DaprSettings } from "@tasks/infra/dapr/index";
import {
  CertManager,
  DaprControlPlane,
  IngressController,
  IngressRoutes,
  Monitoring,
  NetworkPolicies,
  PlatformNamespaces,
  charts,
  namespaces,
  webPushDestination,
  nonPublicRanges,
  workloadNetworkPolicies,
  chartNetworkPolicies,
  type ChartNetworkInput,
  type EgressDestination,
  type TcpPassthrough,
  type WorkloadNetworkInput,
} from "@tasks/infra/k8s/index";
import { AppImage, DatabaseRoles, ServiceWorkload, catalogSecretNames, databaseRolesNetworkPolicy } from "@tasks/infra/workload/index";
import type { InClusterPeer, PlatformTarget } from "./contracts.js";

/** Ports of the brokers' Kafka endpoints: Event Hubs (SASL over TLS) and Redpanda (plaintext, in-cluster). */
export const brokerPorts = { eventhubs: 9093, redpanda: 9092 } as const;

export interface PlatformOptions {
  /** Namespaces created by the caller (the local stack creates them first for its data services). */
  readonly namespaces?: PlatformNamespaces;
  /** What the workloads must wait for besides the control plane (local Postgres, Redpanda, secrets). */
  readonly workloadDependsOn?: pulumi.Input<pulumi.Resource>[];
  /** TCP ports the ingress controller forwards (local: Kafka for the topic provider), with the pods behind each. */
  readonly ingressTcp?: readonly (TcpPassthrough & {
    readonly pods: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  })[];
  /** The services to deploy. @default allServices */
  readonly services?: readonly ServiceSpec[];
}

/** The platform's resources, for callers that wire more resources to them. */
export interface Platform {
  readonly namespaces: PlatformNamespaces;
  readonly ingressController: IngressController;
  readonly daprControlPlane: DaprControlPlane;
  readonly daprResources: DaprResources;
  readonly monitoring: Monitoring;
  readonly workloads: Readonly<Partial<Record<ServiceName, ServiceWorkload>>>;
  /** The database-roles Job and its Secret, when the target has services with a database. */
  readonly databaseRoles?: DatabaseRoles;
  /** The stack outputs the platform contributes. */
  readonly outputs: Record<string, unknown>;
}

/** Problems with a target, each naming the field; empty means the target is usable. */
export function platformTargetProblems(target: PlatformTarget, services: readonly ServiceSpec[] = allServices): string[] {
  const problems: string[] = [];
  const aks = target.kind === "aks";
  if (aks && target.tls.issuer === "selfsigned") problems.push('tls.issuer: AKS stacks use a Let\'s Encrypt issuer, not "selfsigned"');
  if (!aks && target.tls.issuer !== "selfsigned")
    problems.push(`tls.issuer: minikube cannot answer ACME HTTP-01 challenges; use "selfsigned", not "${target.tls.issuer}"`);
  if (aks && !target.tls.acmeEmail) problems.push("tls.acmeEmail: Let's Encrypt issuers need a contact email");
  if (aks && target.secretStore.kind !== "keyvault") problems.push("secretStore: AKS stacks read secrets from Key Vault");
  if (aks && target.broker.kind !== "eventhubs") problems.push("broker: AKS stacks use Event Hubs");
  if (aks) {
    for (const s of services) if (!target.identities?.[s.name]) problems.push(`identities.${s.name}: missing workload identity client id`);
  }
  const uses = (t: EgressTarget) => services.some((s) => s.egress.includes(t));
  const reachable = (t: "postgres" | "broker" | "keyvault" | "smtp", peer?: InClusterPeer) =>
    target.egressCidrs[t].length > 0 || peer !== undefined;
  if (uses("postgres") && !reachable("postgres", target.inClusterEgress?.postgres))
    problems.push("egressCidrs.postgres: empty, and no inClusterEgress.postgres: services could not reach the database");
  if (uses("postgres") && !target.databaseRoles)
    problems.push("databaseRoles: services with a database connect as their own roles; give the admin URL and a password per service");
  if (uses("broker") && !reachable("broker", target.inClusterEgress?.broker))
    problems.push("egressCidrs.broker: empty, and no inClusterEgress.broker: services could not reach the broker");
  if (aks && uses("keyvault") && !reachable("keyvault")) problems.push("egressCidrs.keyvault: empty: sidecars could not reach Key Vault");
  if (uses("smtp") && !reachable("smtp")) problems.push("egressCidrs.smtp: empty: email could not be sent");
  if (!aks && !target.apiServerEgress?.cidrs.length)
    problems.push("apiServerEgress: minikube sidecars read Kubernetes secrets and need the API server's address");
  return problems;
}

const cidrDestination = (cidrs: readonly string[], port: number): EgressDestination => ({ port, cidrs });
const peerDestination = (p: InClusterPeer): EgressDestination => ({
  port: p.port,
  peers: [{ namespace: p.namespace, podLabels: p.podLabels }],
});

/** Egress destinations of the workload namespace, from the target. */
export function networkInput(target: PlatformTarget, services: readonly ServiceSpec[]): WorkloadNetworkInput {
  const aks = target.kind === "aks";
  const secretsReaders = services.filter((s) => s.dapr.includes("secrets")).map((s) => s.name);
  const brokerPort = target.broker.kind === "eventhubs" ? brokerPorts.eventhubs : brokerPorts.redpanda;
  const egress: WorkloadNetworkInput["egress"] = {
    postgres: target.inClusterEgress?.postgres
      ? peerDestination(target.inClusterEgress.postgres)
      : cidrDestination(target.egressCidrs.postgres, target.postgres.port),
    broker: target.inClusterEgress?.broker
      ? peerDestination(target.inClusterEgress.broker)
      : cidrDestination(target.egressCidrs.broker, brokerPort),
    smtp: cidrDestination(target.egressCidrs.smtp, target.smtp.port),
    webpush: webPushDestination,
    // minikube has no Key Vault: the catalog's keyvault egress stays closed there.
    ...(aks ? { keyvault: cidrDestination(target.egressCidrs.keyvault, 443) } : {}),
  };
  // Every sidecar that loads the Key Vault secret store reaches the vault, also those whose own app
  // reads no secret (recurrence: its pubsub resolves the Event Hubs connection string there).
  const storeUsers =
    daprResources(daprSettings(target, services)).components.find((c) => c.metadata.name === daprComponents.secretStore)?.scopes ?? [];
  const catalogUsers: string[] = services.filter((s) => s.egress.includes("keyvault")).map((s) => s.name);
  const keyVaultUsers = [...new Set([...catalogUsers, ...storeUsers])];
  const additionalEgress = aks
    ? [
        { apps: storeUsers.filter((a) => !catalogUsers.includes(a)), destination: cidrDestination(target.egressCidrs.keyvault, 443) },
        {
          apps: keyVaultUsers,
          destination: {
            port: 443,
            cidrs: target.identityEgressCidrs ?? ["0.0.0.0/0"],
            ...(target.identityEgressCidrs ? {} : { except: nonPublicRanges }),
          },
        },
      ]
    : target.apiServerEgress
      ? [{ apps: secretsReaders, destination: cidrDestination(target.apiServerEgress.cidrs, target.apiServerEgress.port) }]
      : [];
  return { namespace: namespaces.workloads, services, egress, additionalEgress, acmeHttp01: aks };
}

/**
 * Where the Kubernetes API is from a pod: minikube names it; on AKS its address depends on the
 * cluster (public, private or VNet-integrated endpoint), so any address on 443.
 */
export const apiServerOf = (target: PlatformTarget): { cidrs: string[]; port: number } =>
  target.apiServerEgress ?? { cidrs: ["0.0.0.0/0"], port: 443 };

/** What the chart namespaces' policies need from the target. */
export function chartNetworkInput(
  target: PlatformTarget,
  services: readonly ServiceSpec[],
  tcp: NonNullable<PlatformOptions["ingressTcp"]>,
): ChartNetworkInput {
  return {
    apiServer: apiServerOf(target),
    publicAppPorts: services.filter((s) => s.publicRoutes.length > 0).map((s) => s.port),
    ingressTcp: tcp.map((t) => ({ port: t.port, namespace: t.pods.namespace, podLabels: t.pods.podLabels })),
    acme: target.kind === "aks",
  };
}

/** Dapr builder settings for the target. */
export function daprSettings(target: PlatformTarget, services: readonly ServiceSpec[]): DaprSettings {
  return {
    target: target.kind,
    namespace: namespaces.workloads,
    broker:
      target.broker.kind === "eventhubs"
        ? { kind: "eventhubs", namespaceName: target.broker.namespaceName }
        : { kind: "kafka", brokers: target.broker.brokers },
    secretStore:
      target.secretStore.kind === "keyvault" ? { kind: "keyvault", vaultName: target.secretStore.vaultName } : { kind: "kubernetes" },
    tracingSamplingRate: target.environment === "prod" ? "0.1" : "1",
    services,
  };
}

/**
 * Non-secret mail settings in the variables the notifications service reads (apps/notifications
 * config.ts). The relay's credentials stay in the secret store; minikube talks to a local mail catcher
 * without TLS or authentication.
 */
export function smtpEnvironment(target: PlatformTarget): Record<string, string> {
  const local = target.kind === "minikube";
  return {
    SMTP_HOST: target.smtp.host,
    SMTP_PORT: String(target.smtp.port),
    SMTP_TLS: local ? "none" : target.smtp.port === 465 ? "implicit" : "starttls",
    SMTP_AUTH: local ? "false" : "true",
    MAIL_FROM: target.smtp.from,
    VAPID_SUBJECT: `mailto:${target.smtp.from}`,
  };
}

/**
 * The Kubernetes platform layer on a target cluster: namespaces, kube-prometheus-stack with the
 * services' monitors, rules and dashboards, cert-manager and its issuers, ingress-nginx and the public
 * routes, the Dapr control plane and the catalog's Dapr resources, the network policies, and one
 * workload (image, Deployment, Service, HPA, PDB) per catalog service.
 */
export function createPlatform(target: PlatformTarget, options: PlatformOptions = {}): Platform {
  const services = options.services ?? allServices;
  const problems = platformTargetProblems(target, services);
  if (problems.length) throw new pulumi.RunError(`Invalid platform target: ${problems.join("; ")}`);
  const aks = target.kind === "aks";
  const ha = target.highAvailability;
  const k8sOpts: pulumi.ComponentResourceOptions = { providers: [target.provider] };

  const ns = options.namespaces ?? new PlatformNamespaces("platform-namespaces", { withData: false }, k8sOpts);
  const nsDeps = Object.values(ns.byName);

  const monitoring = new Monitoring(
    "monitoring",
    {
      workloadNamespace: namespaces.workloads,
      services,
      highAvailability: ha,
      retention: target.environment === "prod" ? "30d" : target.environment === "dev" ? "7d" : "2d",
      ...(aks ? { storage: { size: target.environment === "prod" ? "100Gi" : "20Gi", storageClassName: "managed-csi-premium" } } : {}),
      dependsOn: nsDeps,
    },
    k8sOpts,
  );
  const certManager = new CertManager(
    "cert-manager",
    {
      issuers: aks ? "acme" : "selfsigned",
      ...(target.tls.acmeEmail ? { acmeEmail: target.tls.acmeEmail } : {}),
      highAvailability: ha,
      dependsOn: [...nsDeps, monitoring.release],
    },
    k8sOpts,
  );
  const ingressController = new IngressController(
    "ingress",
    {
      serviceType: aks ? "LoadBalancer" : "NodePort",
      highAvailability: ha,
      tcp: options.ingressTcp ?? [],
      dependsOn: [...nsDeps, monitoring.release],
    },
    k8sOpts,
  );
  const daprControlPlane = new DaprControlPlane("dapr", { highAvailability: ha, dependsOn: nsDeps }, k8sOpts);
  const daprResources = new DaprResources(
    "dapr-resources",
    { settings: daprSettings(target, services) },
    { ...k8sOpts, dependsOn: [daprControlPlane.release] },
  );
  const network = networkInput(target, services);
  const roles = target.databaseRoles;
  const networkPolicies = new NetworkPolicies(
    "network-policies",
    {
      policies: [
        ...workloadNetworkPolicies(network),
        ...(roles && network.egress.postgres ? [databaseRolesNetworkPolicy(namespaces.workloads, network.egress.postgres)] : []),
        ...chartNetworkPolicies(chartNetworkInput(target, services, options.ingressTcp ?? [])),
      ],
    },
    { ...k8sOpts, dependsOn: nsDeps },
  );

  const appImages = Object.fromEntries(
    services.map((s) => [
      s.name,
      new AppImage(`image-${s.name}`, {
        service: s.name,
        registry: target.registry.loginServer,
        output: aks ? "push" : "load",
        ...(target.imageDigests?.[s.name] ? { digest: target.imageDigests[s.name] } : {}),
      }),
    ]),
  ) as Partial<Record<ServiceName, AppImage>>;
  // Every service with a database connects as its own role: the Job creates (or re-passwords) the roles
  // before any service starts. It runs the CLI from the tasks-api image (any service image has it).
  const rolesImage = appImages["tasks-api"] ?? Object.values(appImages)[0];
  const databaseRoles =
    roles && rolesImage && services.some((s) => s.database)
      ? new DatabaseRoles(
          "database-roles",
          {
            namespace: namespaces.workloads,
            image: aks ? rolesImage.ref : rolesImage.imageName,
            adminUrl: roles.adminUrl,
            passwords: roles.passwords,
            dependsOn: [rolesImage, networkPolicies, ...nsDeps, ...(roles.dependsOn ?? []), ...(options.workloadDependsOn ?? [])],
          },
          k8sOpts,
        )
      : undefined;

  const workloads: Partial<Record<ServiceName, ServiceWorkload>> = {};
  const images: Record<string, pulumi.Output<string>> = {};
  for (const s of services) {
    const image = appImages[s.name]!;
    images[s.name] = image.imageName;
    // Kubernetes-secret-store sidecars (minikube) call the API server with the pod's token.
    const readsKubernetesSecrets = target.secretStore.kind === "kubernetes" && s.dapr.includes("secrets");
    const smtpEnv = s.egress.includes("smtp") ? smtpEnvironment(target) : {};
    workloads[s.name] = new ServiceWorkload(
      `workload-${s.name}`,
      {
        service: s,
        namespace: namespaces.workloads,
        image: aks ? image.ref : image.imageName,
        daprConfig: daprConfigurationFor(s.name),
        highAvailability: ha,
        env: { ...smtpEnv, PUBLIC_HOST: target.host, DEPLOY_ENVIRONMENT: target.environment },
        ...(aks ? { workloadIdentityClientId: target.identities![s.name]! } : {}),
        ...(readsKubernetesSecrets ? { mountServiceAccountToken: true, readableSecrets: catalogSecretNames() } : {}),
        dependsOn: [
          image,
          daprControlPlane.release,
          daprResources,
          ...nsDeps,
          ...(options.workloadDependsOn ?? []),
          ...(databaseRoles ? [databaseRoles.job] : []),
        ],
      },
      k8sOpts,
    );
  }
  new IngressRoutes(
    "ingress-routes",
    {
      namespace: namespaces.workloads,
      host: target.host,
      services,
      issuer: target.tls.issuer,
      dependsOn: [ingressController.release, ...certManager.issuers, ...Object.values(workloads).map((w) => w.service)],
    },
    k8sOpts,
  );

  const outputs: Record<string, unknown> = {
    ingressHost: target.host,
    images,
    platformNamespaces: Object.keys(ns.byName).sort(),
    helmCharts: Object.fromEntries(Object.values(charts).map((c) => [c.chart, c.version])),
    daprResources: {
      components: daprResources.set.components.map((c) => c.metadata.name),
      subscriptions: daprResources.set.subscriptions.map((x) => x.metadata.name),
      configurations: daprResources.set.configurations.map((x) => x.metadata.name),
    },
    grafanaAdminPassword: monitoring.grafanaAdminPassword,
  };
  return {
    namespaces: ns,
    ingressController,
    daprControlPlane,
    daprResources,
    monitoring,
    workloads,
    ...(databaseRoles ? { databaseRoles } : {}),
    outputs,
  };
}

/** The platform layer's stack outputs (see createPlatform); the Azure and local stacks spread them into theirs. */
export function deployPlatform(target: PlatformTarget): Record<string, unknown> {
  return createPlatform(target).outputs;
}
