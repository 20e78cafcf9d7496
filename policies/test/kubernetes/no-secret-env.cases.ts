import { noSecretEnv } from "../../src/kubernetes/no-secret-env.js";
import { casesFor, changed } from "../lib/harness.js";
import { C0, deployment } from "../fixtures/kubernetes.js";

const d = deployment();

export default casesFor(noSecretEnv, [
  { n: 1, title: "plain settings, and a variable naming a secret store", resource: d, expect: [] },
  {
    n: 2,
    title: "a ConfigMap reference",
    resource: changed(d, [`${C0}.env.2`, { name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "cfg", key: "level" } } }]),
    expect: [],
  },
  {
    n: 3,
    title: "secretKeyRef",
    resource: changed(d, [`${C0}.env.2`, { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "pg", key: "password" } } }]),
    expect: [
      'container "app" env "DB_PASSWORD" reads key "password" of Secret "pg"; mount the secret as a file or read it from the Dapr secret store.',
    ],
  },
  {
    n: 4,
    title: "envFrom a Secret",
    resource: changed(d, [`${C0}.envFrom`, [{ secretRef: { name: "app-secrets" } }]]),
    expect: ['container "app" imports every key of Secret "app-secrets" as environment variables (envFrom.secretRef).'],
  },
  {
    n: 5,
    title: "a literal credential",
    resource: changed(d, [`${C0}.env.2`, { name: "JWT_SECRET", value: "hunter2" }]),
    expect: ['container "app" env "JWT_SECRET" holds a literal credential; read it from the Dapr secret store instead.'],
  },
  {
    n: 6,
    title: "a connection string with a password in it",
    resource: changed(d, [`${C0}.env.2`, { name: "DATABASE_URL", value: "postgres://tasks:s3cret@pg:5432/tasks" }]),
    expect: ['container "app" env "DATABASE_URL" embeds a credential in its value; read it from the Dapr secret store instead.'],
  },
]);
