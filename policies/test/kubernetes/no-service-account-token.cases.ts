import { noServiceAccountToken, tokenExceptionAnnotation } from "../../src/kubernetes/no-service-account-token.js";
import { casesFor, changed } from "../lib/harness.js";
import { ANN, POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();
const message = `the pod must set automountServiceAccountToken: false, or carry the annotation ${tokenExceptionAnnotation} saying why it needs the API token.`;

export default casesFor(noServiceAccountToken, [
  { n: 1, title: "token not mounted", resource: d, expect: [] },
  {
    n: 2,
    title: "token mounted with a documented reason on the pod template",
    resource: changed(
      d,
      [`${POD}.automountServiceAccountToken`],
      [ANN, { [tokenExceptionAnnotation]: "daprd reads Kubernetes secrets (local secret store)" }],
    ),
    expect: [],
  },
  { n: 3, title: "default (mounted) without a reason", resource: changed(d, [`${POD}.automountServiceAccountToken`]), expect: [message] },
  { n: 4, title: "explicitly true", resource: changed(d, [`${POD}.automountServiceAccountToken`, true]), expect: [message] },
  {
    n: 5,
    title: "reason on the workload metadata",
    resource: changed(
      d,
      [`${POD}.automountServiceAccountToken`, true],
      ["metadata.annotations", { [tokenExceptionAnnotation]: "daprd reads Kubernetes secrets (local secret store)" }],
    ),
    expect: [],
  },
  {
    n: 6,
    title: "an empty reason does not count",
    resource: changed(d, [`${POD}.automountServiceAccountToken`, true], ["metadata.annotations", { [tokenExceptionAnnotation]: " " }]),
    expect: [message],
  },
]);
