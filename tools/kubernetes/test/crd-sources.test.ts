import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { charts } from "@tasks/infra/k8s/charts";
import { crdBundles, gatewayApiVersion, traefikVersion } from "@tasks/infra/k8s/crds";
import { addOnCrdSources, allCrdModules, crdOrigin, crdSources, daprModuleVersion, gatewayChannelSources } from "../src/crd-sources.js";

describe("CRD sources of the kubernetes tier follow the charts the stacks pin", () => {
  it("covers every chart whose CRDs the stacks use: Dapr, cert-manager, Chaos Mesh, the Prometheus operator, KEDA, Traefik and its Gateway API", () => {
    assert.deepEqual(crdSources.map((s) => s.chartKey).sort(), [
      "certManager",
      "chaosMesh",
      "dapr",
      "keda",
      "kubePrometheusStack",
      "traefik",
      "traefik",
    ]);
  });

  it("takes Traefik's traefik.io CRDs (Middleware) from the release and file the program's CRD step applies", () => {
    const t = crdSources.find((s) => s.module === "github.com/traefik/traefik/v3")!;
    assert.equal(t.moduleVersion, traefikVersion);
    const step = crdBundles("standard").find((b) => b.owner === "traefik")!;
    assert.deepEqual(
      step.files.map((f) => f.split("/").slice(-5).join("/")),
      t.files!.map((f) => `${t.dir}/${f}`),
    );
  });

  it("takes the Gateway API CRDs at the version the program's CRD step installs, in the channel the stack asks for", () => {
    const gw = crdSources.find((s) => s.module === "sigs.k8s.io/gateway-api")!;
    assert.equal(gw.moduleVersion, gatewayApiVersion);
    assert.equal(gw.dir, "config/crd/standard");
    assert.equal(gatewayChannelSources("experimental").find((s) => s.module === gw.module)!.dir, "config/crd/experimental");
  });

  it("covers the chart-less AKS add-on whose kinds the stacks create: the Secrets Store CSI driver's SecretProviderClass", () => {
    assert.deepEqual(
      addOnCrdSources.map((s) => [s.addOn, s.kinds.join()]),
      [["azureKeyvaultSecretsProvider", "SecretProviderClass"]],
    );
    for (const s of addOnCrdSources) {
      assert.match(s.moduleVersion, /^v\d+\.\d+\.\d+$/, `${s.module}: an explicit version (the add-on's is managed by AKS)`);
      assert.ok(s.note?.includes(s.moduleVersion), `${s.module}: the note says which version was checked and why`);
    }
    assert.deepEqual(allCrdModules.map(crdOrigin).slice(-1), ["AKS add-on azureKeyvaultSecretsProvider"]);
  });

  it("takes KEDA's CRDs at the chart's version: KEDA releases its chart at the application's version", () => {
    const keda = crdSources.find((s) => s.chartKey === "keda")!;
    assert.equal(`v${keda.chartVersion}`, keda.appVersion);
    assert.equal(keda.moduleVersion, keda.appVersion);
    assert.match(keda.module, /^github\.com\/kedacore\/keda\/v2$/);
  });

  for (const s of crdSources) {
    it(`${String(s.chartKey)}: CRDs checked for chart ${s.chartVersion}, the version infra/src/k8s/charts.ts pins`, () => {
      assert.equal(
        charts[s.chartKey].version,
        s.chartVersion,
        `charts.${String(s.chartKey)} moved to ${charts[s.chartKey].version}: find that chart's appVersion and its CRDs' module version, ` +
          `then update tools/kubernetes/src/crd-sources.ts (chartVersion, appVersion, moduleVersion)`,
      );
      // A release, or a pseudo-version only where the note says why and which files were checked.
      if (!/^v\d+\.\d+\.\d+$/.test(s.moduleVersion))
        assert.ok(/^v\d+\.\d+\.\d+-0\.\d{14}-[0-9a-f]{12}$/.test(s.moduleVersion) && /identical/.test(s.note ?? ""), s.module);
      if (s.moduleVersion !== s.appVersion)
        assert.ok(s.note?.includes(s.appVersion), `${s.module}: ${s.moduleVersion} is not the appVersion; the note must say why`);
    });
  }

  it("takes Dapr's CRDs from the module daprd is built from, at the chart's version", () => {
    const dapr = crdSources.find((s) => s.chartKey === "dapr")!;
    assert.equal(dapr.moduleVersion, daprModuleVersion());
    assert.equal(dapr.moduleVersion, `v${charts.dapr.version}`);
  });

  it("reads the Dapr version from tools/dapr/go.mod's require, and fails without one", () => {
    assert.equal(daprModuleVersion("require (\n\tgithub.com/dapr/dapr v1.2.3 // indirect\n)"), "v1.2.3");
    assert.throws(() => daprModuleVersion("module x\n"), /no github.com\/dapr\/dapr require/);
  });

  it("takes cert-manager's CRDs at the chart's version: cert-manager releases its chart at the application's version", () => {
    const cm = crdSources.find((s) => s.chartKey === "certManager")!;
    assert.equal(cm.appVersion, cm.chartVersion);
    assert.equal(cm.moduleVersion, cm.appVersion);
  });
});
