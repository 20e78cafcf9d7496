import { imageImmutableTag } from "../../src/kubernetes/image-immutable-tag.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, builtImage, deployment, registry, types } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(imageImmutableTag, [
  { n: 1, title: "image by sha256 digest", resource: d, expect: [] },
  { n: 2, title: "image by a fixed tag", resource: changed(d, [`${C0}.image`, `${registry}/tasks-api:1.4.2`]), expect: [] },
  {
    n: 3,
    title: "latest",
    resource: changed(d, [`${C0}.image`, `${registry}/tasks-api:latest`]),
    expect: [`container "app" image "${registry}/tasks-api:latest" is not pinned: tag "latest" moves between builds.`],
  },
  {
    n: 4,
    title: "no tag",
    resource: changed(d, [`${C0}.image`, `${registry}/tasks-api`]),
    expect: [`container "app" image "${registry}/tasks-api" is not pinned: it has no tag (which means latest).`],
  },
  {
    n: 5,
    title: "empty image",
    resource: changed(d, [`${C0}.image`, ""]),
    expect: ['container "app" image "" is not pinned: the image is empty.'],
  },
  {
    n: 6,
    title: "registry port is not a tag",
    resource: changed(d, [`${C0}.image`, "localhost:5000/tasks-api"]),
    expect: ['container "app" image "localhost:5000/tasks-api" is not pinned: it has no tag (which means latest).'],
  },
  { n: 7, title: "a docker-build image with a content tag", resource: builtImage("tasks-api"), expect: [] },
  {
    n: 8,
    title: "a docker-build image tagged latest",
    resource: changed(builtImage("audit"), ["tags.1", `${registry}/audit:latest`]),
    expect: [`built image tag "${registry}/audit:latest" is not immutable: tag "latest" moves between builds.`],
  },
  { n: 9, title: "a ConfigMap has no image", resource: { type: types.configMap, name: "cm", props: {} }, notApplicable: true },
]);
