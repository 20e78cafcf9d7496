import { noHostPort } from "../../src/kubernetes/no-host-port.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noHostPort, [
  { n: 1, title: "container port only", resource: d, expect: [] },
  { n: 2, title: "hostPort 0 means none", resource: changed(d, [`${C0}.ports.0.hostPort`, 0]), expect: [] },
  {
    n: 3,
    title: "hostPort 8080",
    resource: changed(d, [`${C0}.ports.0.hostPort`, 8080]),
    expect: ['container "app" port 3000 binds hostPort 8080.'],
  },
]);
