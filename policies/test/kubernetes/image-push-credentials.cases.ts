import { imagePushCredentials } from "../../src/kubernetes/image-push-credentials.js";
import { casesFor, changed } from "../lib/harness.js";
import { builtImage, deployment, registry } from "../fixtures/kubernetes.js";

const pushing = builtImage("tasks-api");

export default casesFor(imagePushCredentials, [
  { n: 1, title: "no preview build, credentials for its registry", resource: pushing, expect: [] },
  {
    n: 2,
    title: "builds and pushes on preview (the default)",
    resource: changed(pushing, ["buildOnPreview"]),
    expect: ["it builds and pushes on every preview (buildOnPreview is not false)."],
  },
  {
    n: 3,
    title: "no credentials (an ambient docker login assumed)",
    resource: changed(pushing, ["registries"]),
    expect: [`it pushes to ${registry} without credentials for it (registries: address, username, password).`],
  },
  {
    n: 4,
    title: "the cache goes to another registry without credentials",
    resource: changed(pushing, ["cacheTo", [{ registry: { ref: "cache.example.com/tasks-api:buildcache" } }]]),
    expect: ["it pushes to cache.example.com without credentials for it (registries: address, username, password)."],
  },
  { n: 5, title: "a local build (load, no push)", resource: changed(pushing, ["push", false]), notApplicable: true },
  { n: 6, title: "not a docker-build Image", resource: deployment(), notApplicable: true },
]);
