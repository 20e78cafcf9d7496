import { restrictedVolumeTypesPolicy } from "../../src/kubernetes/restricted-volume-types.js";
import { casesFor, changed } from "../lib/harness.js";
import { POD, deployment } from "../fixtures/kubernetes.js";

const d = deployment();
const allowed = "configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret";

export default casesFor(restrictedVolumeTypesPolicy, [
  { n: 1, title: "emptyDir", resource: d, expect: [] },
  {
    n: 2,
    title: "projected and persistentVolumeClaim",
    resource: changed(
      d,
      [`${POD}.volumes.1`, { name: "token", projected: { sources: [] } }],
      [`${POD}.volumes.2`, { name: "data", persistentVolumeClaim: { claimName: "data" } }],
    ),
    expect: [],
  },
  {
    n: 3,
    title: "an nfs volume",
    resource: changed(d, [`${POD}.volumes.1`, { name: "share", nfs: { server: "nfs", path: "/" } }]),
    expect: [`volume "share" has type nfs; the restricted profile allows only ${allowed}.`],
  },
  {
    n: 4,
    title: "a gitRepo volume",
    resource: changed(d, [`${POD}.volumes.0`, { name: "src", gitRepo: { repository: "https://example.com/r.git" } }]),
    expect: [`volume "src" has type gitRepo; the restricted profile allows only ${allowed}.`],
  },
]);
