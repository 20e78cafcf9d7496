import type * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import type { ServiceName } from "@tasks/catalog";
import type { IngressRateLimits } from "@tasks/infra/k8s/rate-limit";
import type { ChaosWindow } from "@tasks/infra/k8s/chaos-mesh";

/**
 * What the cluster layer (stacks/azure-stack.ts or stacks/local-stack.ts) hands to the Kubernetes
 * platform layer (stacks/platform.ts). Changing it changes both sides: add optional fields only.
 */
export interface PlatformTarget {
  readonly environment: "dev" | "prod" | "local";
  /** aks for dev/prod, minikube for local. */
  readonly kind: "aks" | "minikube";
  readonly provider: k8s.Provider;
  /** Production-grade availability: HA control planes, PDBs, zone spread. */
  readonly highAvailability: boolean;
  /** Prometheus: how long it keeps samples (e.g. `7d`), and the size of its volume where it has one (AKS). */
  readonly monitoring: { readonly retention: string; readonly storageSize?: string };
  /** Share of requests the Dapr sidecars trace, `"0"`..`"1"`. */
  readonly tracingSamplingRate: string;
  /** Image registry the workloads pull from, e.g. `tasksdevacr.azurecr.io`; for minikube, images built into the node. */
  readonly registry: { readonly loginServer: pulumi.Input<string> };
  /**
   * The ingress's static public IP, which the program owns and the DNS record aliases (AKS): the ingress
   * Service asks for it by name, after `dependsOn` (the control plane's right to use it).
   */
  readonly ingressAddress?: {
    readonly publicIpName: pulumi.Input<string>;
    readonly resourceGroupName: string;
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  };
  readonly broker:
    | { readonly kind: "eventhubs"; readonly namespaceName: pulumi.Input<string> }
    | { readonly kind: "redpanda"; readonly brokers: pulumi.Input<string> };
  readonly secretStore:
    | { readonly kind: "keyvault"; readonly vaultName: pulumi.Input<string>; readonly tenantId: pulumi.Input<string> }
    | { readonly kind: "kubernetes" };
  readonly postgres: { readonly host: pulumi.Input<string>; readonly port: number; readonly sslMode: "require" | "disable" };
  /**
   * What the database-roles Job needs to give every service with a database its own login role
   * (infra/src/workload/database-roles.ts): the server administrator's URL and each role's password.
   * Required when a deployed service uses Postgres; the services' own URLs in the secret store use these roles.
   */
  readonly databaseRoles?: {
    readonly adminUrl: pulumi.Input<string>;
    readonly passwords: Partial<Record<ServiceName, pulumi.Input<string>>>;
    /** What the Job must wait for besides the platform (the Azure databases, the local Postgres). */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  };
  /**
   * Digest per service of the image CI pushed to `registry` under its content tag: deployed by digest,
   * not built by the program (AKS only; stack config imageDigests).
   */
  readonly imageDigests?: Partial<Record<ServiceName, string>>;
  /** Workload identity client id per service (AKS only). */
  readonly identities?: Partial<Record<ServiceName, pulumi.Input<string>>>;
  /** How the public services verify users' tokens (stack config `identity`, resolved by the stack). */
  readonly identity?: ServiceIdentity;
  /** Public host for the ingress, e.g. `tasks.dev.example.com`. */
  readonly host: string;
  /**
   * Game days (dev): Chaos Mesh and its experiments against the workload namespace: the zone whose pods are
   * killed, the broker as the pods reach it, the weekly window, whether the experiments start paused.
   */
  readonly chaos?: {
    readonly zone: string;
    readonly brokerTargets: readonly pulumi.Input<string>[];
    readonly window: ChaosWindow;
    readonly paused: boolean;
  };
  /** Traefik's rate limits on the public routes (per token, per client address). @default defaultIngressRateLimits */
  readonly ingressRateLimits?: IngressRateLimits;
  /** cert-manager issuer for the ingress certificate. */
  readonly tls: { readonly issuer: "letsencrypt-staging" | "letsencrypt-prod" | "selfsigned"; readonly acmeEmail?: string };
  /** CIDRs the egress network policies allow towards Postgres, the broker, Key Vault and SMTP. */
  readonly egressCidrs: { readonly postgres: string[]; readonly broker: string[]; readonly keyvault: string[]; readonly smtp: string[] };
  readonly smtp: { readonly host: string; readonly port: number; readonly from: string };
  /**
   * In-cluster destinations (the local stack's Postgres and Redpanda pods), used by the egress policies
   * instead of CIDRs: pod IPs are not stable.
   */
  readonly inClusterEgress?: {
    readonly postgres?: InClusterPeer;
    readonly broker?: InClusterPeer;
  };
  /** Where the Kubernetes API server is, for sidecars that read Kubernetes secrets (minikube). */
  readonly apiServerEgress?: { readonly cidrs: string[]; readonly port: number };
  /**
   * Where the sidecars reach Microsoft Entra ID (login.microsoftonline.com) to exchange their
   * workload-identity token before calling Key Vault (AKS). @default public addresses on 443
   */
  readonly identityEgressCidrs?: string[];
  /**
   * Who the alerts reach (Alertmanager, stack config `alerting`): email through `smtp`, and on AKS the chat webhook
   * and the dead-man's switch, whose secrets the monitoring identity reads from Key Vault. Required by createPlatform.
   */
  readonly alerting?: {
    readonly email: readonly string[];
    /** SMTP login (AKS; its password is the secret store's smtp-password). Absent: the relay takes mail without login. */
    readonly smtpUsername?: string;
    /** The external heartbeat monitor the always-firing Watchdog is sent to (its credential is in Key Vault). */
    readonly heartbeat?: { readonly url: string; readonly authorizationType: string };
  };
  /**
   * AKS: identities of the platform's own pods, federated with their service accounts: `monitoring` (Alertmanager,
   * the trace collector and the lag exporter read Key Vault) and `keda` (kube-system/keda-operator reads the broker's
   * listen-only connection string from Key Vault to compute lag).
   */
  readonly platformIdentities?: { readonly monitoring: pulumi.Input<string>; readonly keda: pulumi.Input<string> };
  /** Where traces go: Application Insights (AKS; the connection string in Key Vault) or the collector's log (minikube). */
  readonly traces?: { readonly exporter: "azuremonitor" | "debug" };
}

/**
 * What every public service needs to verify a user's token: none of it is secret. Entra ID's audience
 * is the API registration's client id, known only after it is created, hence Inputs.
 */
export interface ServiceIdentity {
  readonly issuer: pulumi.Input<string>;
  readonly audience: pulumi.Input<string>;
  readonly jwksUrl: pulumi.Input<string>;
  readonly userIdClaim: string;
  readonly emailClaim: string;
  readonly allowedOrigins: readonly string[];
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  readonly requestsPerMinute: number;
  /** An in-cluster provider the public services must be allowed to reach for its keys (the local stack's). */
  readonly inClusterProvider?: InClusterPeer;
  /** The web app's OpenID client (apps/web runtime config); absent: the web app's defaults (the local provider's). */
  readonly webClient?: WebClient;
  /** The mcp server's own audience and scope (Entra ID); absent: its audience is its resource URL (RFC 8707). */
  readonly mcpServer?: McpServerIdentity;
}

/** What the mcp server accepts and advertises when the provider issues its tokens for a registration of its own. */
export interface McpServerIdentity {
  /** The `aud` of its tokens (MCP_AUDIENCE): the Entra registration's client id. */
  readonly audience: pulumi.Input<string>;
  /** The scope MCP clients request (MCP_SCOPES, its Protected Resource Metadata `scopes_supported`). */
  readonly scope: pulumi.Input<string>;
}

/** How the web app signs users in: its public client, the scopes it asks for, and the RFC 8707 resource if any. */
export interface WebClient {
  readonly clientId: pulumi.Input<string>;
  readonly scope: pulumi.Input<string>;
  /** Entra ID takes the API in the scope, not as a resource parameter. @default none */
  readonly resource?: pulumi.Input<string>;
}

/** Pods of another namespace, selected by labels, listening on `port`. */
export interface InClusterPeer {
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
}
