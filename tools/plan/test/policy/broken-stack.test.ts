/** The offline runner fails a deliberately broken program with the expected violations. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PolicyReport } from "@tasks/policies/evaluate/run";
import { policies } from "@tasks/policies";
import { runPolicyCli } from "./cli.js";

const program = "tools/plan/test/fixtures/broken-stack/index.ts";

describe("broken fixture stack", () => {
  test("--json: exits 1 and reports exactly the expected mandatory violations", async () => {
    const { code, stdout, stderr } = await runPolicyCli(["--stack", "dev", "--program", program, "--json"]);
    assert.equal(code, 1, stderr);
    const report = JSON.parse(stdout) as PolicyReport;
    const mandatory = report.violations
      .filter((v) => v.level === "mandatory")
      .map((v) => `${v.policy} | ${v.resource} | ${v.message}`)
      .sort();
    assert.deepEqual(mandatory, [
      "azure-aks-local-accounts-disabled | azure-native:containerservice:ManagedCluster::aks | the cluster must set disableLocalAccounts: true.",
      'azure-eventhubs-min-tls | azure-native:eventhub:Namespace::eh | the namespace must set minimumTlsVersion: "1.2"; it is "1.0".',
      "azure-keyvault-purge-protection | azure-native:keyvault:Vault::kv | the vault must set properties.enablePurgeProtection: true.",
      "azure-required-tags | azure-native:containerservice:ManagedCluster::aks | missing tags owner, cost-center.",
      'dapr-component-metadata-required | kubernetes:dapr.io/v1alpha1:Component::pubsub | Component "pubsub" (pubsub.kafka v1) lacks required metadata "brokers".',
      'dapr-component-metadata-required | kubernetes:dapr.io/v1alpha1:Component::pubsub | Component "pubsub" (pubsub.kafka v1) satisfies none of its authentication profiles: SASL Authentication lacks saslUsername, saslMechanism=SHA-512|SHA-256|PLAINTEXT.',
      'dapr-component-metadata-sensitive | kubernetes:dapr.io/v1alpha1:Component::pubsub | Component "pubsub" (pubsub.kafka v1) metadata "saslPassword" is a credential (sensitive in the schema) set as a plain value; use secretKeyRef.',
      'dapr-component-scopes | kubernetes:dapr.io/v1alpha1:Component::pubsub | Component "pubsub" has no scopes: every Dapr app in the namespace can load it.',
      'dapr-component-secret-refs | kubernetes:dapr.io/v1alpha1:Component::pubsub | Component "pubsub" sets "saslPassword" as a plain value; use secretKeyRef.',
      'dapr-subscription-dead-letter | kubernetes:dapr.io/v2alpha1:Subscription::sub | Subscription "task-completed" to topic "task.completed" has no deadLetterTopic.',
      `kubernetes-consumers-scale-on-lag | (stack) | Deployment "tasks/recurrence" consumes task.completed in a shared consumer group but no KEDA ScaledObject scales it on the group's lag.`,
      // The fixture's Deployment "web" has a catalog service's name (apps/web), which uses no Dapr building block:
      // without a sidecar it passes kubernetes-dapr-annotations.
      'kubernetes-drop-all-capabilities | kubernetes:apps/v1:Deployment::web | container "web" must drop ALL capabilities (securityContext.capabilities.drop: ["ALL"]).',
      'kubernetes-image-immutable-tag | kubernetes:apps/v1:Deployment::web | container "web" image "nginx:latest" is not pinned: tag "latest" moves between builds.',
      'kubernetes-image-registry | kubernetes:apps/v1:Deployment::web | Deployment "default/web" container "web" pulls "nginx:latest" from registry "docker.io", which is not the stack\'s registry (allowed: none).',
      'kubernetes-liveness-probe | kubernetes:apps/v1:Deployment::web | container "web" must define a livenessProbe.',
      'kubernetes-no-default-namespace | kubernetes:apps/v1:Deployment::web | Deployment must not be created in the "default" namespace.',
      'kubernetes-no-default-namespace | kubernetes:core/v1:Service::web | Service must not be created in the "default" namespace.',
      'kubernetes-no-privilege-escalation | kubernetes:apps/v1:Deployment::web | container "web" must set securityContext.allowPrivilegeEscalation: false.',
      'kubernetes-no-privileged-containers | kubernetes:apps/v1:Deployment::web | container "web" must not run privileged (securityContext.privileged: true).',
      "kubernetes-no-service-account-token | kubernetes:apps/v1:Deployment::web | the pod must set automountServiceAccountToken: false, or carry the annotation policy.tasks-platform.dev/service-account-token saying why it needs the API token.",
      'kubernetes-read-only-root-filesystem | kubernetes:apps/v1:Deployment::web | container "web" must set securityContext.readOnlyRootFilesystem: true.',
      'kubernetes-readiness-probe | kubernetes:apps/v1:Deployment::web | container "web" must define a readinessProbe.',
      'kubernetes-resource-limits | kubernetes:apps/v1:Deployment::web | container "web" must set resources.limits for cpu and memory.',
      'kubernetes-resource-requests | kubernetes:apps/v1:Deployment::web | container "web" must set resources.requests for cpu and memory.',
      'kubernetes-run-as-non-root | kubernetes:apps/v1:Deployment::web | container "web" must set securityContext.runAsNonRoot: true (on the container or the pod).',
      'kubernetes-seccomp-runtime-default | kubernetes:apps/v1:Deployment::web | container "web" must run with seccompProfile.type RuntimeDefault or Localhost (on the pod or the container), found none.',
      'network-default-deny | (stack) | namespace "default" runs Deployment web but has no default-deny NetworkPolicy for Ingress and Egress.',
      'network-no-public-service-types | kubernetes:core/v1:Service::web | Service "web" is of type LoadBalancer; only the ingress controller may be exposed outside the cluster.',
    ]);
    assert.equal(report.mandatory, 28);
    assert.equal(report.stack, "dev");
  });

  test("table output: a row per violation and the failing summary", async () => {
    const { code, stdout } = await runPolicyCli(["--stack", "dev", "--program", program]);
    assert.equal(code, 1);
    const lines = stdout.trimEnd().split("\n");
    assert.match(lines[0] ?? "", /^POLICY +RESOURCE +LEVEL +MESSAGE$/);
    assert.match(
      stdout,
      /^kubernetes-no-privileged-containers +kubernetes:apps\/v1:Deployment::web +mandatory +container "web" must not run privileged \(securityContext\.privileged: true\)\.$/m,
    );
    assert.equal(
      lines.at(-1),
      `policy FAILED: stack dev: ${policies.length} policies over 7 resources: 28 mandatory, 5 advisory violation(s)`,
    );
  });

  test("usage errors exit 2 and name the problem", async () => {
    const unknown = await runPolicyCli(["--stack", "staging"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^unknown stack "staging"; expected one of: bootstrap, dev, prod, local$/m);
    const none = await runPolicyCli([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^give --stack \(or --all\)$/m);
  });
});
