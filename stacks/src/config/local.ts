import { type z } from "zod";
import {
  cidr,
  cidrList,
  commonShape,
  email,
  emailList,
  integer,
  nonEmptyString,
  pattern,
  prometheusDuration,
  readConfig,
  section,
  storageSize,
} from "./common.js";
import { identitySection } from "./identity.js";
import { ingressRateLimitSection } from "./ingress-rate-limit.js";

/**
 * Config of the local stack (minikube), set in Pulumi.local.yaml and validated at start. The defaults
 * there match `minikube start --driver=docker --cni=calico`: node 192.168.49.2, host gateway 192.168.49.1.
 */
const ipv4 = pattern(/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/, "an IPv4 address such as 192.168.49.2");

export const localShape = {
  ...commonShape,
  /** kubeconfig context of the cluster. */
  kubeContext: nonEmptyString("a kubeconfig context such as minikube"),
  /** `minikube ip`: where node ports (ingress, Kafka for the topic provider) are reached from the host. */
  minikubeIp: ipv4,
  /** Name images are tagged with; they are built into minikube's Docker daemon, never pushed. */
  imageRegistry: pattern(/^[a-z0-9.-]+(:\d+)?$/, "a registry host such as tasks.local"),
  /** Node port on which the ingress controller forwards Kafka to Redpanda's external listener. */
  kafkaNodePort: integer(30000, 32767),
  smtp: section({
    host: nonEmptyString("an SMTP host such as host.minikube.internal"),
    port: integer(1, 65535),
    from: email(),
    /** Where the relay is, for the egress policy (the host gateway for a mail catcher on the host). */
    egressCidrs: cidrList(1, "192.168.49.1/32"),
  }),
  /** The API server as pods reach it after the kubernetes Service DNAT (minikube: the node, port 8443). */
  apiServer: section({ cidr: cidr(32, "192.168.49.2/32"), port: integer(1, 65535) }),
  storage: section({ postgres: storageSize(), redpanda: storageSize() }),
  /** End-user sign-in: the in-cluster OpenID provider (apps/local-idp), or your own (config/identity.ts). */
  identity: identitySection(["local", "oidc"]),
  /** Traefik's rate limits per token and per client address, before the services (config/ingress-rate-limit.ts). */
  ingressRateLimit: ingressRateLimitSection,
  /** Prometheus: how long it keeps samples (no volume on minikube). */
  monitoring: section({ retention: prometheusDuration("2d") }),
  /** Alertmanager emails these addresses through the SMTP settings above (a local mail catcher). */
  alerting: section({ email: emailList() }),
};

export type LocalConfig = z.infer<z.ZodObject<typeof localShape>>;

export function readLocalConfig(): LocalConfig {
  return readConfig(localShape);
}
