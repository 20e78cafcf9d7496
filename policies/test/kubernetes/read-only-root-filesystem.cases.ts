import { readOnlyRootFilesystem } from "../../src/kubernetes/read-only-root-filesystem.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(readOnlyRootFilesystem, [
  { n: 1, title: "read-only root filesystem", resource: d, expect: [] },
  {
    n: 2,
    title: "unset",
    resource: changed(d, [`${C0}.securityContext.readOnlyRootFilesystem`]),
    expect: ['container "app" must set securityContext.readOnlyRootFilesystem: true.'],
  },
  {
    n: 3,
    title: "false",
    resource: changed(d, [`${C0}.securityContext.readOnlyRootFilesystem`, false]),
    expect: ['container "app" must set securityContext.readOnlyRootFilesystem: true.'],
  },
]);
