import { noDefaultNamespace } from "../../src/kubernetes/no-default-namespace.js";
import { casesFor, changed } from "../lib/harness.js";
import { deployment, helmRelease, namespaceObject, service, types } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noDefaultNamespace, [
  { n: 1, title: "a Deployment in its namespace", resource: d, expect: [] },
  { n: 2, title: "a Helm release in its namespace", resource: helmRelease("dapr", "dapr-system"), expect: [] },
  {
    n: 3,
    title: "namespace from the provider's default namespace",
    resource: {
      ...changed(service("audit"), ["metadata.namespace"]),
      provider: { type: "pulumi:providers:kubernetes", name: "k8s", props: { namespace: "tasks" } },
    },
    expect: [],
  },
  {
    n: 4,
    title: "no namespace at all",
    resource: changed(service("audit"), ["metadata.namespace"]),
    expect: ['Service must set metadata.namespace; without it the object lands in "default".'],
  },
  {
    n: 5,
    title: "explicitly default",
    resource: changed(d, ["metadata.namespace", "default"]),
    expect: ['Deployment must not be created in the "default" namespace.'],
  },
  {
    n: 6,
    title: "a Helm release without a namespace",
    resource: changed(helmRelease("ingress-nginx", "x"), ["namespace"]),
    expect: ['Helm chart "ingress-nginx" must be installed into a namespace other than "default" (set namespace).'],
  },
  {
    n: 7,
    title: "a Dapr custom resource without a namespace",
    resource: { type: "kubernetes:dapr.io/v1alpha1:Component", name: "pubsub", props: { metadata: { name: "pubsub" } } },
    expect: ['Component must set metadata.namespace; without it the object lands in "default".'],
  },
  { n: 8, title: "Namespaces are cluster-scoped", resource: namespaceObject(), notApplicable: true },
  {
    n: 9,
    title: "ClusterIssuers are cluster-scoped",
    resource: { type: "kubernetes:cert-manager.io/v1:ClusterIssuer", name: "le", props: { metadata: { name: "le" } } },
    notApplicable: true,
  },
  {
    n: 10,
    title: "GatewayClasses are cluster-scoped",
    resource: { type: "kubernetes:gateway.networking.k8s.io/v1:GatewayClass", name: "traefik", props: { metadata: { name: "traefik" } } },
    notApplicable: true,
  },
  {
    n: 11,
    title: "Azure resources are not Kubernetes objects",
    resource: { type: "azure-native:keyvault:Vault", name: "kv", props: {} },
    notApplicable: true,
  },
  {
    n: 12,
    title: "objects rendered from a chart follow the release",
    resource: { ...changed(d, ["metadata.namespace"]), parentTypes: [types.helmChart] },
    notApplicable: true,
  },
]);
