import { ingressTls } from "../../src/network/ingress-tls.js";
import { casesFor, changed } from "../lib/harness.js";
import { deployment, ingress } from "../fixtures/kubernetes.js";

const ing = ingress(["tasks-api", "audit"]);

export default casesFor(ingressTls, [
  { n: 1, title: "every host covered", resource: ing, expect: [] },
  { n: 2, title: "a wildcard certificate covers one label", resource: changed(ing, ["spec.tls.0.hosts", ["*.example.com"]]), expect: [] },
  { n: 3, title: "no tls", resource: changed(ing, ["spec.tls"]), expect: ["the Ingress has no spec.tls: it would serve plain HTTP."] },
  {
    n: 4,
    title: "host not covered",
    resource: changed(ing, ["spec.tls.0.hosts", ["api.example.com"]]),
    expect: ['host "tasks.example.com" is not covered by any spec.tls hosts entry.'],
  },
  {
    n: 5,
    title: "a wildcard does not cover two labels",
    resource: changed(ing, ["spec.rules.0.host", "a.b.example.com"], ["spec.tls.0.hosts", ["*.example.com"]]),
    expect: ['host "a.b.example.com" is not covered by any spec.tls hosts entry.'],
  },
  {
    n: 6,
    title: "a rule without a host",
    resource: changed(ing, ["spec.rules.0.host"]),
    expect: ["rule 1 has no host, so no TLS certificate can cover it."],
  },
  {
    n: 7,
    title: "ssl-redirect turned off",
    resource: changed(ing, ["metadata.annotations", { "nginx.ingress.kubernetes.io/ssl-redirect": "false" }]),
    expect: ['annotation nginx.ingress.kubernetes.io/ssl-redirect: "false" turns HTTPS redirection off.'],
  },
  { n: 8, title: "not an Ingress", resource: deployment(), notApplicable: true },
]);
