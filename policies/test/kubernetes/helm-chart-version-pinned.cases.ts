import { helmChartVersionPinned } from "../../src/kubernetes/helm-chart-version-pinned.js";
import { casesFor, changed } from "../lib/harness.js";
import { deployment, helmRelease, types } from "../fixtures/kubernetes.js";

const release = helmRelease("cert-manager", "cert-manager", {}, "v1.16.2");

export default casesFor(helmChartVersionPinned, [
  { n: 1, title: "exact version", resource: release, expect: [] },
  {
    n: 2,
    title: "v4 Chart with an exact version",
    resource: { ...helmRelease("ingress-nginx", "ingress-nginx", {}, "4.12.0"), type: types.helmChart },
    expect: [],
  },
  {
    n: 3,
    title: "no version",
    resource: changed(release, ["version"]),
    expect: ['Helm chart "cert-manager" must pin an exact version (version is not set).'],
  },
  {
    n: 4,
    title: "a range",
    resource: changed(release, ["version", "^1.16.0"]),
    expect: ['Helm chart "cert-manager" version "^1.16.0" is a range; pin an exact version.'],
  },
  {
    n: 5,
    title: "a wildcard",
    resource: changed(release, ["version", "1.16.x"]),
    expect: ['Helm chart "cert-manager" version "1.16.x" is a range; pin an exact version.'],
  },
  {
    n: 6,
    title: "chart given as repo/name",
    resource: changed(release, ["chart", "jetstack/cert-manager"], ["version", ">=1.0.0"]),
    expect: ['Helm chart "cert-manager" version ">=1.0.0" is a range; pin an exact version.'],
  },
  { n: 7, title: "not a Helm release", resource: deployment(), notApplicable: true },
]);
