import { resiliencyBoundedRetries } from "../../src/dapr/resiliency-bounded-retries.js";
import { casesFor, changed } from "../lib/harness.js";
import { kafkaPubsub, resiliency } from "../fixtures/dapr.js";

const r = resiliency();
const P = "spec.policies.retries";

export default casesFor(resiliencyBoundedRetries, [
  { n: 1, title: "bounded retries", resource: r, expect: [] },
  { n: 2, title: "maxRetries as a string", resource: changed(r, [`${P}.invokeRetry.maxRetries`, "3"]), expect: [] },
  {
    n: 3,
    title: "maxRetries unset",
    resource: changed(r, [`${P}.invokeRetry.maxRetries`]),
    expect: ['Resiliency "tasks-resiliency" retry policy "invokeRetry" does not set maxRetries, so it retries forever.'],
  },
  {
    n: 4,
    title: "maxRetries -1",
    resource: changed(r, [`${P}.pubsubRetry.maxRetries`, -1]),
    expect: ['Resiliency "tasks-resiliency" retry policy "pubsubRetry" sets maxRetries -1, which retries forever.'],
  },
  {
    n: 5,
    title: "exponential without maxInterval",
    resource: changed(r, [`${P}.pubsubRetry.maxInterval`]),
    expect: ['Resiliency "tasks-resiliency" retry policy "pubsubRetry" is exponential without maxInterval.'],
  },
  { n: 6, title: "a Component is not a Resiliency", resource: kafkaPubsub(), notApplicable: true },
]);
