import { explicitRules } from "../../src/network/explicit-rules.js";
import { casesFor, changed } from "../lib/harness.js";
import { allowPolicy, defaultDenyPolicy, deployment } from "../fixtures/kubernetes.js";

const allow = allowPolicy();

export default casesFor(explicitRules, [
  { n: 1, title: "named peers and ports; internet only on port 587", resource: allow, expect: [] },
  { n: 2, title: "a default deny has no rules", resource: defaultDenyPolicy(), expect: [] },
  {
    n: 3,
    title: "an empty ingress rule allows everything",
    resource: changed(allow, ["spec.ingress", [{}]]),
    expect: ["ingress rule 1 has no from and no ports: it allows all ingress traffic."],
  },
  {
    n: 4,
    title: "egress to 0.0.0.0/0 on any port",
    resource: changed(allow, ["spec.egress.1.ports"]),
    expect: ["egress rule 2 allows any address on any port (ipBlock 0.0.0.0/0); restrict the peer or the ports."],
  },
  {
    n: 5,
    title: "ingress from every namespace on any port",
    resource: changed(allow, ["spec.ingress.0", { from: [{ namespaceSelector: {} }] }]),
    expect: [
      "ingress rule 1 allows any address on any port (namespaceSelector: {} matches every namespace); restrict the peer or the ports.",
    ],
  },
  {
    n: 6,
    title: "an empty peer",
    resource: changed(allow, ["spec.ingress.0", { from: [{}] }]),
    expect: ["ingress rule 1 allows any address on any port (an empty peer matches everything); restrict the peer or the ports."],
  },
  { n: 7, title: "not a NetworkPolicy", resource: deployment(), notApplicable: true },
]);
