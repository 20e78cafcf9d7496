/**
 * The kubernetes tier for one stack (one stack per file: Pulumi config is process-global): the stack's
 * program runs under mocks, its Kubernetes objects are rendered as the provider sends them, and a real
 * kube-apiserver with the charts' CRDs installed must accept every one of them.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { manifestsOf, releasesOf } from "@tasks/stacks/offline/render-manifests";
import { runStackMocked } from "@tasks/stacks/offline/mocked-run";
import type { StackName } from "@tasks/stacks/offline/stack-config";
import { startApiServer, type ApiServer } from "../src/apiserver.js";
import { resolveBinaries } from "../src/binaries.js";
import { addOnCrdSources, crdOrigin, gatewayChannelOf, gatewayChannelSources } from "../src/crd-sources.js";
import { crdsFor, installCrds, loadCrds } from "../src/crds.js";
import { applyInOrder, podSecurityWarnings, rejections, restrictedNamespaces, type KubeObject, type ObjectResult } from "../src/dry-run.js";

const workloadKinds = new Set(["Deployment", "StatefulSet", "Job", "CronJob", "DaemonSet", "Pod"]);
const log = (line: string) => process.stdout.write(`# ${line}\n`);

export function apiServerSuite(stack: StackName): void {
  describe(`${stack} stack: a real kube-apiserver accepts every object the program creates`, () => {
    let server: ApiServer | undefined;
    let objects: KubeObject[];
    let results: ObjectResult[];
    let restricted: Set<string>;

    before(async () => {
      const started = Date.now();
      const bin = resolveBinaries();
      const run = await runStackMocked(stack);
      objects = manifestsOf(run.resources);
      restricted = restrictedNamespaces(objects);
      server = await startApiServer(bin);
      log(`kube-apiserver ${bin.version ?? ""} + etcd ready in ${server.readyMs} ms (${server.url})`);
      const crdStart = Date.now();
      // The Gateway API CRDs in the channel the stack's CRD step installs, and the AKS add-ons' CRDs.
      const modules = [...gatewayChannelSources(gatewayChannelOf(run.resources)), ...addOnCrdSources];
      const available = modules.flatMap((s) => loadCrds(s));
      const crds = crdsFor(objects, available);
      await installCrds(server.client, crds);
      log(
        `${crds.length} CRDs (of ${available.length}; those of the kinds the stack uses: ${crds.map((c) => c.spec.names.kind).join(", ")}) ` +
          `installed and established in ${Date.now() - crdStart} ms, from ` +
          modules.map((s) => `${s.module}@${s.moduleVersion}/${s.dir} (${crdOrigin(s)})`).join(", "),
      );
      results = await applyInOrder(server.client, objects);
      const created = results.filter((r) => r.created && r.accepted).length;
      const dry = results.filter((r) => !r.created && r.accepted).length;
      log(
        `${stack}: ${results.length} objects — ${created} namespaces created, ${dry} accepted by server-side dry run, ` +
          `${results.length - created - dry} rejected (${Date.now() - started} ms in all)`,
      );
      const inRestricted = results.filter((r) => workloadKinds.has(r.kind) && r.namespace && restricted.has(r.namespace));
      log(
        `Pod Security: ${inRestricted.length} workloads checked in the namespaces labelled restricted (${[...restricted].join(", ")}), ` +
          `${podSecurityWarnings(results).length} warnings`,
      );
      const releases = releasesOf(run.resources).map((r) => `${String(r.chart)} ${String(r.version)}`);
      log(
        `not checked here: the objects inside the Helm releases (${releases.join(", ")}): their charts cannot be fetched on this network`,
      );
      for (const r of results) for (const w of r.warnings) log(`warning on ${r.ref}: ${w}`);
    });
    after(() => server?.stop());

    it("sends every object with a name (the render names what Pulumi auto-names)", () => {
      assert.ok(objects.length > 50, `only ${objects.length} objects rendered`);
      assert.deepEqual(
        objects.filter((o) => !o.metadata.name).map((o) => `${o.kind} ${o.metadata.namespace ?? ""}`),
        [],
      );
    });

    it("accepts every object: namespaces created, the rest by server-side dry run with strict field validation", () => {
      assert.equal(results.length, objects.length);
      assert.deepEqual(rejections(results), [], `the API server rejected ${rejections(results).length} object(s)`);
    });

    it("warns about no pod in a namespace labelled restricted (Pod Security admission)", () => {
      assert.ok(restricted.size > 0, "no namespace is labelled pod-security.kubernetes.io/*: restricted");
      const checked = results.filter((r) => workloadKinds.has(r.kind) && r.namespace && restricted.has(r.namespace) && r.accepted);
      assert.ok(checked.length > 0, `no workload was sent into the restricted namespaces ${[...restricted].join(", ")}`);
      assert.deepEqual(podSecurityWarnings(results), []);
    });

    it("sends no object that the server warns about (deprecated APIs, unknown fields, ...)", () => {
      assert.deepEqual(
        results.flatMap((r) => r.warnings.map((w) => `${r.ref}: ${w}`)),
        [],
      );
    });
  });
}
