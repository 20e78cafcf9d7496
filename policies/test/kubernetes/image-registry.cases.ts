import { imageRegistry } from "../../src/kubernetes/image-registry.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, builtImage, deployment } from "../fixtures/kubernetes.js";
import { registry as acr } from "../fixtures/azure.js";

const d = deployment();
const local = changed(d, [`${C0}.image`, "tasks.local/tasks-api:c0ffee12"]);
const hub = changed(d, [`${C0}.image`, "postgres:16.6-bookworm"]);
const localAllowed = "localhost:*, 127.0.0.1:*, registry.minikube, *.local";

export default casesFor(imageRegistry, [
  { n: 1, title: "dev: the stack's own ACR", resources: [acr(), d], expect: [] },
  {
    n: 2,
    title: "dev: an image the program builds, whatever its registry name",
    resources: [
      changed(builtImage("tasks-api"), ["tags", ["other.azurecr.io/tasks-api:c0ffee12"]], ["ref"]),
      changed(d, [`${C0}.image`, "other.azurecr.io/tasks-api:c0ffee12"]),
    ],
    expect: [],
  },
  {
    n: 3,
    title: "dev: Docker Hub",
    resources: [acr(), changed(d, [`${C0}.image`, "nginx:1.27"])],
    expect: [
      'Deployment "tasks/tasks-api" container "app" pulls "nginx:1.27" from registry "docker.io", which is not the stack\'s registry (allowed: taskscommonacr.azurecr.io).',
    ],
  },
  {
    n: 4,
    title: "prod: another ACR",
    stack: "prod",
    resources: [acr("prod"), changed(d, [`${C0}.image`, "evil.azurecr.io/tasks-api:1.0.0"])],
    expect: [
      'Deployment "tasks/tasks-api" container "app" pulls "evil.azurecr.io/tasks-api:1.0.0" from registry "evil.azurecr.io", which is not the stack\'s registry (allowed: taskscommonacr.azurecr.io).',
    ],
  },
  { n: 5, title: "local: an image built into minikube (.local pseudo-registry)", stack: "local", resources: [local], expect: [] },
  {
    n: 6,
    title: "local: the local registry on any port",
    stack: "local",
    resources: [changed(d, [`${C0}.image`, "localhost:5000/tasks-api:c0ffee12"])],
    expect: [],
  },
  {
    n: 7,
    title: "local: a public registry is not allowed by default",
    stack: "local",
    resources: [changed(d, [`${C0}.image`, "docker.redpanda.com/redpandadata/redpanda:v24.2.4"])],
    expect: [
      `Deployment "tasks/tasks-api" container "app" pulls "docker.redpanda.com/redpandadata/redpanda:v24.2.4" from registry "docker.redpanda.com", which is not the stack's registry (allowed: ${localAllowed}).`,
    ],
  },
  {
    n: 8,
    title: "local: a registry allowed in the policy config",
    stack: "local",
    config: { "kubernetes-image-registry": { allowedRegistries: ["docker.redpanda.com"] } },
    resources: [changed(d, [`${C0}.image`, "docker.redpanda.com/redpandadata/redpanda:v24.2.4"])],
    expect: [],
  },
  {
    n: 9,
    title: "dev: node-local images are not the stack's registry",
    resources: [acr(), local],
    expect: [
      'Deployment "tasks/tasks-api" container "app" pulls "tasks.local/tasks-api:c0ffee12" from registry "tasks.local", which is not the stack\'s registry (allowed: taskscommonacr.azurecr.io).',
    ],
  },
  {
    n: 10,
    title: "local: a name without a registry host is a Docker Hub image",
    stack: "local",
    resources: [hub],
    expect: [
      `Deployment "tasks/tasks-api" container "app" pulls "postgres:16.6-bookworm" from registry "docker.io", which is not the stack's registry (allowed: ${localAllowed}).`,
    ],
  },
  {
    n: 11,
    title: "local: one Docker Hub repository allowed in the policy config",
    stack: "local",
    config: { "kubernetes-image-registry": { allowedRegistries: ["docker.io/library/postgres"] } },
    resources: [hub, changed(deployment("audit"), [`${C0}.image`, "redis:7.4"])],
    expect: [
      `Deployment "tasks/audit" container "app" pulls "redis:7.4" from registry "docker.io", which is not the stack's registry (allowed: docker.io/library/postgres, ${localAllowed}).`,
    ],
  },
  {
    n: 12,
    title: "wildcard pattern in the config",
    config: { "kubernetes-image-registry": { allowedRegistries: ["*.azurecr.io"] } },
    resources: [changed(d, [`${C0}.image`, "shared.azurecr.io/base:1.0.0"])],
    expect: [],
  },
  {
    n: 13,
    title: "dev: the bootstrap stack's ACR, on which the stack grants its kubelet AcrPull",
    resources: [
      {
        type: "azure-native:authorization:RoleAssignment",
        name: "kubelet-acrpull",
        props: {
          scope: "/subscriptions/s/resourceGroups/rg-tasks-dev/providers/Microsoft.ContainerRegistry/registries/TasksDevAcr",
          roleDefinitionId: "acrpull",
        },
      },
      changed(d, [`${C0}.image`, "tasksdevacr.azurecr.io/tasks-api:src-0@sha256:" + "a".repeat(64)]),
    ],
    expect: [],
  },
  {
    n: 14,
    title: "dev: a role on something else names no registry",
    resources: [
      {
        type: "azure-native:authorization:RoleAssignment",
        name: "kv",
        props: { scope: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/tasksdevacr" },
      },
      changed(d, [`${C0}.image`, "tasksdevacr.azurecr.io/tasks-api:1.0.0"]),
    ],
    expect: [
      'Deployment "tasks/tasks-api" container "app" pulls "tasksdevacr.azurecr.io/tasks-api:1.0.0" from registry "tasksdevacr.azurecr.io", which is not the stack\'s registry (allowed: none).',
    ],
  },
]);
