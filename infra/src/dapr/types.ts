import type * as pulumi from "@pulumi/pulumi";
import type { ServiceSpec, TopicSpec } from "@tasks/catalog";

/** Where the Dapr resources run: AKS (dev, prod), minikube (local) or daprd processes (`--resources-path`). */
export type DaprTarget = "aks" | "minikube" | "selfhosted";

export const daprApiVersion = "dapr.io/v1alpha1";
export const subscriptionApiVersion = "dapr.io/v2alpha1";

export interface SecretKeyRef {
  readonly name: string;
  readonly key: string;
}

/** One `spec.metadata` item: a plain value or a reference into the secret store, never both. */
export interface MetadataItem {
  readonly name: string;
  readonly value?: pulumi.Input<string>;
  readonly secretKeyRef?: SecretKeyRef;
}

export interface DaprObjectMeta {
  readonly name: string;
  /** Set on Kubernetes targets; selfhosted daprd has no namespaces. */
  readonly namespace?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface DaprComponent {
  readonly apiVersion: typeof daprApiVersion;
  readonly kind: "Component";
  readonly metadata: DaprObjectMeta;
  readonly spec: {
    readonly type: string;
    readonly version: string;
    readonly metadata: readonly MetadataItem[];
    readonly initTimeout?: string;
  };
  /** Secret store that resolves the component's secretKeyRefs (absent: the Kubernetes built-in store). */
  readonly auth?: { readonly secretStore: string };
  /** App ids that load the component. Always set: an unscoped component loads into every sidecar. */
  readonly scopes: readonly string[];
}

export interface DaprSubscription {
  readonly apiVersion: typeof subscriptionApiVersion;
  readonly kind: "Subscription";
  readonly metadata: DaprObjectMeta;
  readonly spec: {
    readonly pubsubname: string;
    readonly topic: string;
    readonly routes: { readonly default: string };
    readonly deadLetterTopic: string;
  };
  readonly scopes: readonly string[];
}

export interface AccessControlOperation {
  readonly name: string;
  readonly httpVerb: readonly string[];
  readonly action: "allow" | "deny";
}

export interface AccessControlPolicy {
  readonly appId: string;
  readonly defaultAction: "allow" | "deny";
  readonly trustDomain: string;
  readonly namespace?: string;
  readonly operations: readonly AccessControlOperation[];
}

export interface DaprConfigurationSpec {
  readonly tracing: {
    readonly samplingRate: string;
    readonly stdout: boolean;
    /** Where the sidecar exports its spans (OTLP). */
    readonly otel?: { readonly endpointAddress: string; readonly isSecure: boolean; readonly protocol: "grpc" | "http" };
  };
  readonly metrics: { readonly enabled: boolean };
  readonly mtls?: {
    readonly enabled: boolean;
    readonly controlPlaneTrustDomain: string;
    readonly sentryAddress: string;
    readonly workloadCertTTL: string;
    readonly allowedClockSkew: string;
  };
  readonly accessControl?: {
    readonly defaultAction: "allow" | "deny";
    readonly trustDomain: string;
    readonly policies: readonly AccessControlPolicy[];
  };
}

export interface DaprConfiguration {
  readonly apiVersion: typeof daprApiVersion;
  readonly kind: "Configuration";
  readonly metadata: DaprObjectMeta;
  readonly spec: DaprConfigurationSpec;
}

export interface RetryPolicy {
  readonly policy: "exponential" | "constant";
  readonly maxInterval?: string;
  readonly duration?: string;
  readonly maxRetries: number;
  /** Only these answers are retried (Dapr resiliency `matching`); unset = every error. */
  readonly matching?: { readonly httpStatusCodes?: string; readonly gRPCStatusCodes?: string };
}

export interface CircuitBreakerPolicy {
  readonly maxRequests: number;
  readonly interval: string;
  readonly timeout: string;
  readonly trip: string;
}

export interface ResiliencyTargetPolicies {
  readonly timeout?: string;
  readonly retry?: string;
  readonly circuitBreaker?: string;
}

export interface DaprResiliency {
  readonly apiVersion: typeof daprApiVersion;
  readonly kind: "Resiliency";
  readonly metadata: DaprObjectMeta;
  readonly spec: {
    readonly policies: {
      readonly timeouts: Readonly<Record<string, string>>;
      readonly retries: Readonly<Record<string, RetryPolicy>>;
      readonly circuitBreakers: Readonly<Record<string, CircuitBreakerPolicy>>;
    };
    readonly targets: {
      readonly apps: Readonly<Record<string, ResiliencyTargetPolicies>>;
      readonly components: Readonly<
        Record<string, { readonly inbound?: ResiliencyTargetPolicies; readonly outbound?: ResiliencyTargetPolicies }>
      >;
    };
  };
  readonly scopes: readonly string[];
}

export type DaprResource = DaprComponent | DaprSubscription | DaprConfiguration | DaprResiliency;

export type BrokerSettings =
  /** Azure Event Hubs through its Kafka endpoint (SASL PLAIN over TLS, port 9093). */
  | { readonly kind: "eventhubs"; readonly namespaceName: pulumi.Input<string> }
  /** Redpanda or Apache Kafka without authentication, e.g. `redpanda-0.redpanda.tasks-data.svc.cluster.local:9092`. */
  | { readonly kind: "kafka"; readonly brokers: pulumi.Input<string> };

export type SecretStoreSettings =
  | { readonly kind: "keyvault"; readonly vaultName: pulumi.Input<string> }
  | { readonly kind: "kubernetes" }
  /** A flat JSON file of `name: value` pairs, keyed by the catalog's secret names. */
  | { readonly kind: "localfile"; readonly secretsFile: string };

/** Everything the builders need besides the catalog. */
export interface DaprSettings {
  readonly target: DaprTarget;
  /** Namespace of the workloads on Kubernetes targets. @default serviceAccounts.namespace ("tasks") */
  readonly namespace?: string;
  readonly broker: BrokerSettings;
  readonly secretStore: SecretStoreSettings;
  /** Trace sampling rate as Dapr expects it, "0".."1". @default "1" */
  readonly tracingSamplingRate?: string;
  /** The OTLP endpoint the sidecars export spans to (`host:port`, plaintext inside the cluster). @default none: spans are dropped */
  readonly tracingEndpoint?: { readonly address: string; readonly protocol: "grpc" | "http" };
  /**
   * Whether sidecars authenticate each other with mTLS (Sentry). Access control needs the caller's
   * identity from its certificate, so it is only emitted when this is on; selfhosted daprd then needs
   * a local sentry and `--enable-mtls` (scripts/lib/dev-platform.ts starts both).
   * @default true
   */
  readonly mtls?: boolean;
  /** The services to generate for. @default allServices */
  readonly services?: readonly ServiceSpec[];
  /** The topics subscriptions may name. @default allTopics */
  readonly topics?: readonly TopicSpec[];
}
