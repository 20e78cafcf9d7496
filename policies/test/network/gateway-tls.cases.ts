import { gatewayTls } from "../../src/network/gateway-tls.js";
import { casesFor, changed } from "../lib/harness.js";
import type { FixtureResource } from "../lib/harness.js";

const gateway: FixtureResource = {
  type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  name: "public",
  props: {
    metadata: { name: "public", namespace: "ingress" },
    spec: {
      gatewayClassName: "traefik",
      listeners: [
        { name: "http", protocol: "HTTP", port: 8000, allowedRoutes: { namespaces: { from: "Same" } } },
        {
          name: "https",
          protocol: "HTTPS",
          port: 8443,
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "tasks-public-tls" }] },
          allowedRoutes: { namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": "tasks" } } } },
        },
      ],
    },
  },
};
const route: FixtureResource = {
  type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  name: "tasks-api",
  props: {
    metadata: { name: "tasks-api", namespace: "tasks" },
    spec: {
      parentRefs: [{ name: "public", namespace: "ingress", sectionName: "https" }],
      rules: [{ matches: [{ path: { type: "PathPrefix", value: "/api" } }], backendRefs: [{ name: "tasks-api", port: 3000 }] }],
    },
  },
};
const redirect: FixtureResource = {
  type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  name: "https-redirect",
  props: {
    metadata: { name: "https-redirect", namespace: "ingress" },
    spec: {
      parentRefs: [{ name: "public", sectionName: "http" }],
      rules: [{ filters: [{ type: "RequestRedirect", requestRedirect: { scheme: "https", statusCode: 301 } }] }],
    },
  },
};

export default casesFor(gatewayTls, [
  { n: 1, title: "HTTPS with a certificate, HTTP redirects only", resources: [gateway, route, redirect], expect: [] },
  {
    n: 2,
    title: "an HTTPS listener without a certificate",
    resources: [changed(gateway, ["spec.listeners.1.tls.certificateRefs", []])],
    expect: ['Gateway "public" listener "https" is HTTPS but terminates no TLS with a certificate (tls.certificateRefs).'],
  },
  {
    n: 3,
    title: "TLS passthrough on the HTTPS listener",
    resources: [changed(gateway, ["spec.listeners.1.tls.mode", "Passthrough"])],
    expect: ['Gateway "public" listener "https" is HTTPS but terminates no TLS with a certificate (tls.certificateRefs).'],
  },
  {
    n: 4,
    title: "a plain-HTTP listener open to every namespace",
    resources: [changed(gateway, ["spec.listeners.0.allowedRoutes.namespaces.from", "All"])],
    expect: [
      'Gateway "public" listener "http" is plain HTTP and admits routes from other namespaces (allowedRoutes.namespaces.from must be Same).',
    ],
  },
  {
    n: 5,
    title: "a service route on the HTTP listener",
    resources: [gateway, changed(route, ["spec.parentRefs.0.sectionName", "http"])],
    expect: [
      'HTTPRoute "tasks-api" serves backends on plain-HTTP listener(s) http of Gateway "public": attach it to the HTTPS listener (sectionName).',
    ],
  },
  {
    n: 6,
    title: "a service route on every listener (no sectionName)",
    resources: [gateway, changed(route, ["spec.parentRefs.0.sectionName"])],
    expect: [
      'HTTPRoute "tasks-api" serves backends on plain-HTTP listener(s) http of Gateway "public": attach it to the HTTPS listener (sectionName).',
    ],
  },
  { n: 7, title: "no Gateway in the stack", resources: [route], expect: [] },
]);
