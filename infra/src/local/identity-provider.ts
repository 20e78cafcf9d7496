import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { mcpEndpoint, serviceUid } from "@tasks/catalog";
import { hstsHeader } from "../k8s/gateway-manifests.js";
import { rateLimitedRules } from "../k8s/rate-limit.js";
import { gatewayListeners, partOfLabels, publicGateway } from "../k8s/names.js";
import { restrictedContainer, restrictedPod } from "../k8s/security.js";

/** Names and settings of the local stack's OpenID Provider (apps/local-idp), shared with scripts/local-*.sh. */
export const localIdp = {
  name: "local-idp",
  port: 8080,
  /** Under the stack's public host: the issuer is https://<domain>/idp. */
  path: "/idp",
  audience: "api://tasks-platform",
  clientId: "tasks-web",
  /** The Secret (and its key) holding the test users with their generated passwords. */
  usersSecret: "local-idp-users",
  usersKey: "users.json",
  podLabels: { "app.kubernetes.io/name": "local-idp" },
} as const;

/** The test users the local stack's provider knows; each gets a generated password in the users Secret. */
export const localIdpUsers = ["dev-user", "alice", "bob", "smoke-test"] as const;

export interface LocalIdentityProviderArgs {
  readonly namespace: string;
  readonly image: pulumi.Input<string>;
  /** The stack's public host: issuer https://<host>/idp, the web app's redirect URI https://<host>/. */
  readonly host: string;
  /** @default localIdpUsers */
  readonly users?: readonly string[];
  readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/**
 * The local stack's OpenID Provider: one restricted pod (read-only root, no API token, no sidecar), its
 * test users in a Secret mounted as a file, and a ClusterIP Service the public services fetch the JWKS from.
 * Browsers and scripts reach it at /idp on the public host through the Gateway: localIdpRouteManifest, which
 * the local stack applies once the Gateway API CRDs are in. Never part of the Azure stacks.
 */
export class LocalIdentityProvider extends pulumi.ComponentResource {
  readonly issuer: string;
  /** In-cluster URL of the JWKS (what the services fetch). */
  readonly jwksUrl: string;
  readonly audience: string;

  constructor(name: string, args: LocalIdentityProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tasks:local:IdentityProvider", name, {}, opts);
    const child = { parent: this };
    this.issuer = `https://${args.host}${localIdp.path}`;
    this.jwksUrl = `http://${localIdp.name}.${args.namespace}.svc.cluster.local:${localIdp.port}${localIdp.path}/jwks`;
    this.audience = localIdp.audience;
    const meta = { namespace: args.namespace, labels: { ...partOfLabels, ...localIdp.podLabels } };
    const users = (args.users ?? localIdpUsers).map((u) => ({
      username: u,
      email: `${u}@tasks.local`,
      password: new random.RandomPassword(`${name}-${u}`, { length: 24, special: false }, child).result,
    }));
    const secret = new k8s.core.v1.Secret(
      `${name}-users`,
      {
        metadata: { ...meta, name: localIdp.usersSecret },
        type: "Opaque",
        stringData: { [localIdp.usersKey]: pulumi.secret(pulumi.jsonStringify(users)) },
      },
      child,
    );
    const deps = { ...child, dependsOn: args.dependsOn ?? [] };
    new k8s.apps.v1.Deployment(
      `${name}`,
      { metadata: { ...meta, name: localIdp.name }, spec: deploymentSpec(args, this.issuer) },
      {
        ...deps,
        dependsOn: [...(args.dependsOn ?? []), secret],
      },
    );
    new k8s.core.v1.Service(
      `${name}`,
      {
        metadata: { ...meta, name: localIdp.name },
        spec: { selector: { ...localIdp.podLabels }, ports: [{ name: "http", port: localIdp.port, targetPort: "http" }] },
      },
      deps,
    );
    this.registerOutputs({ issuer: this.issuer });
  }
}

/**
 * The HTTPRoute of /idp on the public Gateway's HTTPS listener (which admits routes from the provider's
 * namespace: the platform target's identity.inClusterProvider), so the Gateway's certificate for the host
 * covers it too; HSTS as on the services' routes.
 */
export function localIdpRouteManifest(namespace: string, host: string) {
  return {
    apiVersion: "gateway.networking.k8s.io/v1",
    kind: "HTTPRoute",
    metadata: { name: localIdp.name, namespace, labels: { ...partOfLabels, ...localIdp.podLabels } },
    spec: {
      parentRefs: [
        {
          group: "gateway.networking.k8s.io",
          kind: "Gateway",
          name: publicGateway.name,
          namespace: publicGateway.namespace,
          sectionName: gatewayListeners.https.name,
        },
      ],
      hostnames: [host],
      rules: rateLimitedRules({
        matches: [{ path: { type: "PathPrefix", value: localIdp.path } }],
        filters: [{ type: "ResponseHeaderModifier", responseHeaderModifier: { set: [{ ...hstsHeader }] } }],
        backendRefs: [{ name: localIdp.name, port: localIdp.port }],
      }),
    },
  };
}

function deploymentSpec(args: LocalIdentityProviderArgs, issuer: string): k8s.types.input.apps.v1.DeploymentSpec {
  const mount = "/etc/local-idp";
  return {
    replicas: 1,
    selector: { matchLabels: { ...localIdp.podLabels } },
    template: {
      metadata: { labels: { ...partOfLabels, ...localIdp.podLabels } },
      spec: {
        automountServiceAccountToken: false,
        enableServiceLinks: false,
        securityContext: restrictedPod(serviceUid),
        containers: [
          {
            name: localIdp.name,
            image: args.image,
            imagePullPolicy: "IfNotPresent",
            ports: [{ name: "http", containerPort: localIdp.port, protocol: "TCP" }],
            env: [
              { name: "NODE_ENV", value: "production" },
              { name: "PORT", value: String(localIdp.port) },
              { name: "IDP_ISSUER", value: issuer },
              { name: "IDP_AUDIENCE", value: localIdp.audience },
              // The mcp server's own audience (its canonical URI, RFC 8707).
              { name: "IDP_EXTRA_AUDIENCES", value: `https://${args.host}${mcpEndpoint}` },
              { name: "IDP_REDIRECT_URIS", value: `https://${args.host}/` },
              { name: "IDP_USERS_FILE", value: `${mount}/${localIdp.usersKey}` },
            ],
            resources: { requests: { cpu: "20m", memory: "96Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
            readinessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 5 },
            livenessProbe: { httpGet: { path: "/healthz", port: "http" }, periodSeconds: 10, failureThreshold: 3 },
            securityContext: restrictedContainer(serviceUid),
            volumeMounts: [
              { name: "users", mountPath: mount, readOnly: true },
              { name: "tmp", mountPath: "/tmp" },
            ],
          },
        ],
        volumes: [
          { name: "users", secret: { secretName: localIdp.usersSecret, defaultMode: 0o440 } },
          { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
        ],
      },
    },
  };
}
