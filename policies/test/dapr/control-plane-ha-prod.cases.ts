import { controlPlaneHaProd } from "../../src/dapr/control-plane-ha-prod.js";
import { casesFor, changed } from "../lib/harness.js";
import { daprValues } from "../fixtures/dapr.js";
import { helmRelease } from "../fixtures/kubernetes.js";

const dapr = helmRelease("dapr", "dapr-system", daprValues(true));

export default casesFor(controlPlaneHaProd, [
  { n: 1, title: "prod: HA on", stack: "prod", resource: dapr, expect: [] },
  {
    n: 2,
    title: "prod: HA off",
    stack: "prod",
    resource: changed(dapr, ["values.global.ha.enabled", false]),
    expect: ["the Dapr Helm release must set global.ha.enabled: true in prod, found false."],
  },
  {
    n: 3,
    title: "prod: HA not set",
    stack: "prod",
    resource: changed(dapr, ["values.global.ha"]),
    expect: ["the Dapr Helm release must set global.ha.enabled: true in prod (it is not set)."],
  },
  {
    n: 4,
    title: "dev may run a single control plane",
    stack: "dev",
    resource: changed(dapr, ["values.global.ha.enabled", false]),
    notApplicable: true,
  },
  { n: 5, title: "other charts", stack: "prod", resource: helmRelease("cert-manager", "cert-manager"), notApplicable: true },
]);
