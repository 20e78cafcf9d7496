import * as k8s from "@pulumi/kubernetes";
import { PlatformNamespaces, RateLimitMiddlewares, defaultIngressRateLimits, namespaces } from "@tasks/infra/k8s/index";
import { KafkaTopics, localIdpRouteManifest } from "@tasks/infra/local/index";
import { readLocalConfig } from "./config/local.js";
import { createLocalData, type LocalContext } from "./local-stack/data.js";
import { kafkaPassthrough, localPlatformTarget } from "./local-stack/target.js";
import { createPlatform } from "./platform.js";

/**
 * The local stack on minikube: the platform layer as on AKS, with Postgres and Redpanda in the cluster
 * instead of the Azure services, the catalog's topics created through Redpanda's external listener,
 * Kubernetes secrets instead of Key Vault, and a self-signed CA for TLS. Steps (files under ./local-stack/):
 * the data services and their secrets, the platform target, then the platform and the topics.
 * Prerequisites: `minikube start --cni=calico` (policies enforced) and `eval $(minikube docker-env)`
 * (images are built into the node's Docker daemon; see Pulumi.local.yaml).
 */
export async function deployLocalStack(): Promise<Record<string, unknown>> {
  const cfg = readLocalConfig();
  const provider = new k8s.Provider("minikube", { context: cfg.kubeContext, enableServerSideApply: true });
  const k8sOpts = { providers: [provider] };
  const ns = new PlatformNamespaces("platform-namespaces", { withData: true, withKeda: true }, k8sOpts);
  const ctx: LocalContext = {
    cfg,
    provider,
    k8sOpts,
    nsDeps: Object.values(ns.byName),
    externalKafka: `${cfg.minikubeIp}:${cfg.kafkaNodePort}`,
  };

  const data = createLocalData(ctx);
  const target = localPlatformTarget(ctx, data);
  const platform = createPlatform(target, {
    namespaces: ns,
    workloadDependsOn: [data.redpanda, data.postgres, data.secrets],
    ingressTcp: kafkaPassthrough(ctx),
  });
  // The provider's /idp route on the public Gateway, once the Gateway (and the Gateway API CRDs) exist, with
  // the rate-limit Middlewares of its namespace (an ExtensionRef names a Middleware of the route's namespace).
  if (data.identityProvider) {
    const rateLimits = new RateLimitMiddlewares(
      "local-idp-rate-limits",
      {
        namespace: namespaces.data,
        limits: target.ingressRateLimits ?? defaultIngressRateLimits,
        dependsOn: [...ctx.nsDeps, ...platform.crds.resources],
      },
      k8sOpts,
    );
    new k8s.apiextensions.CustomResource("local-idp-route", localIdpRouteManifest(namespaces.data, cfg.domain), {
      provider,
      dependsOn: [platform.ingressController.gateway, data.identityProvider, ...rateLimits.resources],
    });
  }
  new KafkaTopics("topics", { bootstrapServers: [ctx.externalKafka], dependsOn: [data.redpanda, platform.ingressController] });

  return {
    ...platform.outputs,
    kubeContext: cfg.kubeContext,
    kafkaBootstrapServers: ctx.externalKafka,
    kafkaInternalBrokers: data.redpanda.internalBrokers,
    postgresHost: data.postgres.host,
    localSecrets: data.secrets.names,
  };
}
