import { mtlsEnabled } from "../../src/dapr/mtls-enabled.js";
import { casesFor, changed } from "../lib/harness.js";
import { configuration, daprValues, kafkaPubsub } from "../fixtures/dapr.js";
import { helmRelease, types } from "../fixtures/kubernetes.js";

const dapr = helmRelease("dapr", "dapr-system", daprValues(false));

export default casesFor(mtlsEnabled, [
  { n: 1, title: "dev: release sets mTLS on", resource: dapr, expect: [] },
  {
    n: 2,
    title: "prod: v4 Chart sets mTLS on (string from YAML)",
    stack: "prod",
    resource: { ...changed(dapr, ["values.global.mtls.enabled", "true"]), type: types.helmChart },
    expect: [],
  },
  {
    n: 3,
    title: "dev: mTLS left to the chart default",
    resource: changed(dapr, ["values.global.mtls"]),
    expect: ["the Dapr Helm release must set global.mtls.enabled: true (it is not set)."],
  },
  {
    n: 4,
    title: "prod: mTLS off",
    stack: "prod",
    resource: changed(dapr, ["values.global.mtls.enabled", false]),
    expect: ["the Dapr Helm release must set global.mtls.enabled: true, found false."],
  },
  {
    n: 5,
    title: "local may run without mTLS",
    stack: "local",
    resource: changed(dapr, ["values.global.mtls.enabled", false]),
    notApplicable: true,
  },
  { n: 6, title: "a Configuration that does not touch mTLS", resource: configuration(), expect: [] },
  {
    n: 7,
    title: "a Configuration that turns mTLS off",
    resource: changed(configuration(), ["spec.mtls", { enabled: false }]),
    expect: ['Dapr Configuration "tasks-dapr-config-tasks-api" turns mTLS off (spec.mtls.enabled: false).'],
  },
  { n: 8, title: "other charts and components", resource: kafkaPubsub(), notApplicable: true },
  {
    n: 9,
    title: "an unknown stack is held to the dev/prod rule",
    stack: "staging",
    resource: changed(dapr, ["values.global.mtls"]),
    expect: ["the Dapr Helm release must set global.mtls.enabled: true (it is not set)."],
  },
]);
