import type * as pulumi from "@pulumi/pulumi";
import type { ServiceName, ServiceSpec } from "@tasks/catalog";
import type { DaprResources } from "@tasks/infra/dapr/index";
import type {
  DaprControlPlane,
  IngressController,
  Monitoring,
  PlatformCrds,
  PlatformNamespaces,
  TcpListener,
} from "@tasks/infra/k8s/index";
import type { DatabaseRoles, ServiceWorkload } from "@tasks/infra/workload/index";

export interface PlatformOptions {
  /** Namespaces created by the caller (the local stack creates them first for its data services). */
  readonly namespaces?: PlatformNamespaces;
  /** What the workloads must wait for besides the control plane (local Postgres, Redpanda, secrets). */
  readonly workloadDependsOn?: pulumi.Input<pulumi.Resource>[];
  /** TCP ports the ingress controller forwards (local: Kafka for the topic provider), with the pods behind each. */
  readonly ingressTcp?: readonly (TcpListener & {
    readonly pods: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>> };
  })[];
  /** The services to deploy. @default allServices */
  readonly services?: readonly ServiceSpec[];
}

/** The platform's resources, for callers that wire more resources to them. */
export interface Platform {
  readonly namespaces: PlatformNamespaces;
  /** The CRD step: what custom resources of the caller wait for. */
  readonly crds: PlatformCrds;
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

/** What every step of createPlatform shares: the provider options and the namespaces to wait for. */
export interface PlatformContext {
  readonly services: readonly ServiceSpec[];
  readonly options: PlatformOptions;
  readonly k8sOpts: pulumi.ComponentResourceOptions;
  readonly namespaces: PlatformNamespaces;
  readonly nsDeps: pulumi.Resource[];
}
