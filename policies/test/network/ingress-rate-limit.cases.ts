import { ingressRateLimit } from "../../src/network/ingress-rate-limit.js";
import { casesFor, changed } from "../lib/harness.js";
import type { FixtureResource } from "../lib/harness.js";
import type { JsonObject } from "../lib/json.js";

const gateway: FixtureResource = {
  type: "kubernetes:gateway.networking.k8s.io/v1:Gateway",
  name: "public",
  props: {
    metadata: { name: "public", namespace: "ingress" },
    spec: { gatewayClassName: "traefik", listeners: [{ name: "https", protocol: "HTTPS", port: 8443 }] },
  },
};
const middleware = (name: string, sourceCriterion: JsonObject): FixtureResource => ({
  type: "kubernetes:traefik.io/v1alpha1:Middleware",
  name: `ingress-rate-limits-${name}`,
  props: {
    apiVersion: "traefik.io/v1alpha1",
    kind: "Middleware",
    metadata: { name, namespace: "tasks" },
    spec: { rateLimit: { average: 600, period: "1m", burst: 60, sourceCriterion } },
  },
});
const perToken = middleware("rate-limit-per-token", { requestHeaderName: "Authorization" });
const perAddress = middleware("rate-limit-per-address", { ipStrategy: {} });
const ext = (name: string) => ({ type: "ExtensionRef", extensionRef: { group: "traefik.io", kind: "Middleware", name } });
const path = { path: { type: "PathPrefix", value: "/api/v1/tasks" } };
const bearer = { type: "RegularExpression", name: "Authorization", value: "^Bearer .+" };
const route: FixtureResource = {
  type: "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute",
  name: "tasks-api",
  props: {
    metadata: { name: "tasks-api", namespace: "tasks" },
    spec: {
      parentRefs: [{ name: "public", namespace: "ingress", sectionName: "https" }],
      rules: [
        {
          matches: [{ ...path, headers: [bearer] }],
          filters: [ext("rate-limit-per-address"), ext("rate-limit-per-token")],
          backendRefs: [{ name: "tasks-api", port: 3000 }],
        },
        { matches: [path], filters: [ext("rate-limit-per-address")], backendRefs: [{ name: "tasks-api", port: 3000 }] },
      ],
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
const all = [gateway, perToken, perAddress, route, redirect];

export default casesFor(ingressRateLimit, [
  { n: 1, title: "per token on bearer requests, per address on every rule; the redirect needs none", resources: all, expect: [] },
  {
    n: 2,
    title: "a public route without any rate-limit filter (a new service's route built by hand)",
    resources: [gateway, perToken, perAddress, changed(route, ["spec.rules.0.filters", []], ["spec.rules.1.filters", []])],
    expect: [
      'HTTPRoute "tasks-api" rule 0 forwards to a backend without an ingress rate limit per client address (ExtensionRef to a rateLimit Middleware).',
      'HTTPRoute "tasks-api" rule 1 forwards to a backend without an ingress rate limit per client address (ExtensionRef to a rateLimit Middleware).',
    ],
  },
  {
    n: 3,
    title: "the per-token limit on a rule that also takes anonymous requests (one shared bucket)",
    resources: [
      gateway,
      perToken,
      perAddress,
      changed(route, ["spec.rules.1.filters", [ext("rate-limit-per-address"), ext("rate-limit-per-token")]]),
    ],
    expect: [
      'HTTPRoute "tasks-api" rule 1 applies "rate-limit-per-token", keyed on header authorization, to requests without that header: they would share one bucket (match the header on every match of the rule).',
    ],
  },
  {
    n: 4,
    title: "a filter naming a Middleware the stack does not create",
    resources: [gateway, perToken, route],
    expect: [
      'HTTPRoute "tasks-api" rule 0 names Middleware "rate-limit-per-address", which the stack does not create in namespace "tasks".',
      'HTTPRoute "tasks-api" rule 0 forwards to a backend without an ingress rate limit per client address (ExtensionRef to a rateLimit Middleware).',
      'HTTPRoute "tasks-api" rule 1 names Middleware "rate-limit-per-address", which the stack does not create in namespace "tasks".',
      'HTTPRoute "tasks-api" rule 1 forwards to a backend without an ingress rate limit per client address (ExtensionRef to a rateLimit Middleware).',
    ],
  },
  {
    n: 5,
    title: "a Middleware of that name that limits nothing (average 0)",
    resources: [gateway, perToken, changed(perAddress, ["spec.rateLimit.average", 0]), route],
    expect: [
      'HTTPRoute "tasks-api" rule 0 forwards to a backend without an ingress rate limit per client address (ExtensionRef to a rateLimit Middleware).',
      'HTTPRoute "tasks-api" rule 1 forwards to a backend without an ingress rate limit per client address (ExtensionRef to a rateLimit Middleware).',
    ],
  },
  {
    n: 6,
    title: "a route on no Gateway of the stack is not public",
    resources: [perToken, perAddress, changed(route, ["spec.rules.1.filters", []])],
    expect: [],
  },
]);
