import { noPublicServiceTypes } from "../../src/network/no-public-service-types.js";
import { casesFor, changed } from "../lib/harness.js";
import { deployment, helmRelease, service } from "../fixtures/kubernetes.js";

const svc = service("tasks-api");

export default casesFor(noPublicServiceTypes, [
  { n: 1, title: "ClusterIP", resource: svc, expect: [] },
  {
    n: 2,
    title: "the ingress controller's LoadBalancer",
    resource: changed(svc, ["spec.type", "LoadBalancer"], ["metadata.labels", { "app.kubernetes.io/name": "traefik" }]),
    expect: [],
  },
  {
    n: 3,
    title: "the traefik chart may expose its controller",
    resource: helmRelease("traefik", "ingress", { service: { spec: { type: "LoadBalancer" } } }),
    notApplicable: true,
  },
  {
    n: 4,
    title: "an app Service as LoadBalancer",
    resource: changed(svc, ["spec.type", "LoadBalancer"]),
    expect: ['Service "tasks-api" is of type LoadBalancer; only the ingress controller may be exposed outside the cluster.'],
  },
  {
    n: 5,
    title: "an app Service as NodePort",
    resource: changed(svc, ["spec.type", "NodePort"]),
    expect: ['Service "tasks-api" is of type NodePort; only the ingress controller may be exposed outside the cluster.'],
  },
  {
    n: 6,
    title: "a chart's values expose Grafana",
    resource: helmRelease("kube-prometheus-stack", "monitoring", {
      grafana: { service: { type: "LoadBalancer" } },
      prometheus: { service: { type: "ClusterIP" } },
    }),
    expect: ['Helm chart "kube-prometheus-stack" exposes a Service publicly: grafana.service.type=LoadBalancer.'],
  },
  {
    n: 7,
    title: "a chart's values without services",
    resource: helmRelease("dapr", "dapr-system", { global: { ha: { enabled: true } } }),
    expect: [],
  },
  {
    n: 8,
    title: "the ingress controller allow-list is configurable",
    config: { "network-no-public-service-types": { ingressControllerNames: ["traefik"] } },
    resource: changed(svc, ["spec.type", "LoadBalancer"], ["metadata.labels", { "app.kubernetes.io/name": "traefik" }]),
    expect: [],
  },
  { n: 9, title: "not a Service", resource: deployment(), notApplicable: true },
]);
