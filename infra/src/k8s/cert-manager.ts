import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { charts } from "./charts.js";
import { helmRelease } from "./helm.js";
import { gatewayListeners, namespaces, partOfLabels, publicGateway } from "./names.js";

export type IssuerName = "letsencrypt-staging" | "letsencrypt-prod" | "selfsigned";

const acmeServers = {
  "letsencrypt-staging": "https://acme-staging-v02.api.letsencrypt.org/directory",
  "letsencrypt-prod": "https://acme-v02.api.letsencrypt.org/directory",
} as const;

/** Name of the bootstrap issuer that signs the local CA certificate. */
export const selfSignedBootstrapIssuer = "selfsigned-bootstrap";
const localCaSecret = "tasks-local-ca";

/**
 * Helm values of the cert-manager release. Gateway API support on (its HTTP-01 solver attaches an HTTPRoute
 * to the public Gateway). With high availability every deployment (controller, webhook, cainjector) has two
 * replicas and its own PDB: a webhook drained to zero pods blocks every Certificate and Issuer write.
 */
export function certManagerValues(highAvailability: boolean): Record<string, unknown> {
  const replicas = highAvailability ? 2 : 1;
  const pdb = { enabled: highAvailability, minAvailable: 1 };
  return {
    crds: { enabled: true, keep: true },
    config: { apiVersion: "controller.config.cert-manager.io/v1alpha1", kind: "ControllerConfiguration", enableGatewayAPI: true },
    replicaCount: replicas,
    webhook: { replicaCount: replicas, podDisruptionBudget: pdb },
    cainjector: { replicaCount: replicas, podDisruptionBudget: pdb },
    podDisruptionBudget: pdb,
    prometheus: { enabled: true, servicemonitor: { enabled: true } },
    global: { leaderElection: { namespace: namespaces.certManager } },
  };
}

type ClusterIssuerManifest = {
  apiVersion: "cert-manager.io/v1";
  kind: "ClusterIssuer";
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
};

/**
 * The HTTP-01 solver: cert-manager attaches an HTTPRoute for each challenge to the public Gateway's HTTP
 * listener, in the Certificate's namespace (the Gateway's), with a ClusterIP Service (no node port).
 */
export const http01GatewaySolver = {
  http01: {
    gatewayHTTPRoute: {
      serviceType: "ClusterIP",
      parentRefs: [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: publicGateway.name,
          namespace: publicGateway.namespace,
          sectionName: gatewayListeners.http.name,
        },
      ],
    },
  },
} as const;

/**
 * ClusterIssuers: on Azure, Let's Encrypt staging and production answering HTTP-01 through the public
 * Gateway; on local, a self-signed bootstrap issuer, the CA it signs and a CA issuer named
 * "selfsigned" (so local certificates share one root a browser can be told to trust).
 */
export function clusterIssuerManifests(kind: "acme" | "selfsigned", acmeEmail?: string): ClusterIssuerManifest[] {
  const labels = { ...partOfLabels };
  if (kind === "acme") {
    if (!acmeEmail) throw new Error("tls.acmeEmail: Let's Encrypt issuers need a contact email");
    return (Object.keys(acmeServers) as (keyof typeof acmeServers)[]).map((name) => ({
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name, labels },
      spec: {
        acme: {
          server: acmeServers[name],
          email: acmeEmail,
          privateKeySecretRef: { name: `${name}-account-key` },
          solvers: [http01GatewaySolver],
        },
      },
    }));
  }
  return [
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: selfSignedBootstrapIssuer, labels },
      spec: { selfSigned: {} },
    },
    {
      apiVersion: "cert-manager.io/v1",
      kind: "ClusterIssuer",
      metadata: { name: "selfsigned", labels },
      spec: { ca: { secretName: localCaSecret } },
    },
  ];
}

/** The local root CA certificate, signed by the bootstrap issuer, in cert-manager's namespace. */
export const localCaCertificate = {
  apiVersion: "cert-manager.io/v1",
  kind: "Certificate",
  metadata: { name: localCaSecret, namespace: namespaces.certManager, labels: { ...partOfLabels } },
  spec: {
    isCA: true,
    commonName: "tasks local CA",
    secretName: localCaSecret,
    duration: "87600h",
    privateKey: { algorithm: "ECDSA", size: 256 },
    issuerRef: { name: selfSignedBootstrapIssuer, kind: "ClusterIssuer", group: "cert-manager.io" },
  },
} as const;

export interface CertManagerArgs {
  /** acme: Let's Encrypt issuers (Azure); selfsigned: a local CA issuer (minikube). */
  readonly issuers: "acme" | "selfsigned";
  /** Contact address of the ACME account; required with `issuers: "acme"`. */
  readonly acmeEmail?: string;
  /** Two replicas of each cert-manager deployment with a PDB. @default false */
  readonly highAvailability?: boolean;
  /** Resources the release must wait for (the monitoring CRDs its ServiceMonitor needs). */
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

export class CertManager extends pulumi.ComponentResource {
  readonly release: k8s.helm.v3.Release;
  readonly issuers: k8s.apiextensions.CustomResource[];

  constructor(name: string, args: CertManagerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:k8s:CertManager", name, {}, opts);
    if (args.issuers === "acme" && !args.acmeEmail) {
      throw new pulumi.ResourceError("acmeEmail: Let's Encrypt issuers need a contact email (tls.acmeEmail)", this);
    }
    this.release = helmRelease(
      `${name}-release`,
      {
        chart: charts.certManager,
        releaseName: "cert-manager",
        namespace: namespaces.certManager,
        values: certManagerValues(args.highAvailability ?? false),
      },
      { parent: this, dependsOn: args.dependsOn },
    );
    const after = { parent: this, dependsOn: [this.release] };
    const manifests = clusterIssuerManifests(args.issuers, args.acmeEmail);
    const extra: pulumi.Resource[] = [];
    if (args.issuers === "selfsigned") {
      const bootstrap = manifests.find((m) => m.metadata.name === selfSignedBootstrapIssuer)!;
      const bootstrapIssuer = new k8s.apiextensions.CustomResource(`${name}-issuer-${bootstrap.metadata.name}`, bootstrap, after);
      const ca = new k8s.apiextensions.CustomResource(`${name}-local-ca`, localCaCertificate, {
        parent: this,
        dependsOn: [bootstrapIssuer],
      });
      extra.push(bootstrapIssuer, ca);
    }
    this.issuers = [
      ...(extra.slice(0, 1) as k8s.apiextensions.CustomResource[]),
      ...manifests
        .filter((m) => m.metadata.name !== selfSignedBootstrapIssuer)
        .map(
          (m) =>
            new k8s.apiextensions.CustomResource(`${name}-issuer-${m.metadata.name}`, m, {
              parent: this,
              dependsOn: [this.release, ...extra],
            }),
        ),
    ];
    this.registerOutputs({});
  }
}
