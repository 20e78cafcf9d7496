/**
 * scripts/local-up.sh, local-down.sh and verify-local.sh against stand-in minikube, kubectl, helm,
 * docker and pulumi commands that record their arguments: no cluster needed. They prove the order
 * and the arguments of what the scripts run, and their error messages; the commands' own behaviour
 * is out of scope.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { allServices, runsDaprSidecar } from "@tasks/catalog";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tmp = mkdtempSync(path.join(os.tmpdir(), "local-scripts-"));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** One fake for every tool: logs `name args` and answers the few queries the scripts make. */
const fake = String.raw`#!/usr/bin/env bash
name="$(basename "$0")"
echo "$name $*" >> "$FAKE_LOG"
case "$name $*" in
  "minikube status"*) [[ "$FAKE_RUNNING" == 1 ]] && echo Running || exit 7 ;;
  "minikube ip"*) echo "$FAKE_IP" ;;
  "minikube"*"docker-env"*) echo 'export FAKE_DOCKER_ENV=1' ;;
  "kubectl"*"get daemonset calico-node"*) [[ "$FAKE_CALICO" == 1 ]] || exit 1 ;;
  "kubectl"*"https"*) echo 31443 ;;
  "kubectl"*"app.kubernetes.io/name=grafana"*) echo kube-prometheus-stack-grafana ;;
  "kubectl"*"get pods -l app.kubernetes.io/name="*) for a in "$@"; do [[ $a == app.kubernetes.io/name=* ]] && echo "$(echo "$a" | cut -d= -f2)-0 "; done ;;
  "kubectl"*"get pod "*"{.spec.containers[*].name}"*)
    prev=""; for a in "$@"; do [[ $prev == pod ]] && svc="$(echo "$a" | sed 's/-0$//')"; prev="$a"; done
    if [[ " $FAKE_SIDECARS " == *" $svc "* ]]; then echo "$svc daprd"; else echo "$svc"; fi ;;
  "pulumi stack select"*) [[ -f "$FAKE_DIR/stack" ]] || exit 1 ;;
  "pulumi stack init"*) touch "$FAKE_DIR/stack" ;;
  "pulumi config get minikubeIp"*) echo 192.168.49.2 ;;
  "pulumi config get kubeContext"*) echo minikube ;;
  "pulumi config get imageRegistry"*) echo tasks.local ;;
  "pulumi config get domain"*) echo tasks.192.168.49.2.nip.io ;;
  "pulumi stack export"*) echo '{"deployment":{"resources":[{"type":"kubernetes:core/v1:Namespace","urn":"urn:ns-data","outputs":{"metadata":{"name":"tasks-data"}}}]}}' ;;
esac
exit 0
`;

interface Run {
  readonly code: number;
  readonly out: string;
  readonly log: string[];
}

/** Runs scripts/<script> of the repository at `repo` (default: this one). */
function run(script: string, args: string[], env: Record<string, string> = {}, repo = root): Run {
  const dir = mkdtempSync(path.join(tmp, "run-"));
  const bin = path.join(dir, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "fake"), fake);
  chmodSync(path.join(bin, "fake"), 0o755);
  for (const tool of ["minikube", "kubectl", "helm", "docker", "pulumi", "curl"]) symlinkSync(path.join(bin, "fake"), path.join(bin, tool));
  const log = path.join(dir, "log");
  writeFileSync(log, "");
  const r = spawnSync("bash", [path.join(repo, "scripts", script), ...args], {
    cwd: repo,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
      FAKE_LOG: log,
      FAKE_DIR: dir,
      FAKE_IP: "192.168.49.2",
      FAKE_RUNNING: "0",
      FAKE_CALICO: "1",
      LOCAL_STATE_DIR: path.join(dir, "state"),
      PULUMI_CONFIG_PASSPHRASE: "",
      PULUMI_CONFIG_PASSPHRASE_FILE: "",
      ...env,
    },
  });
  return { code: r.status ?? 1, out: r.stdout + r.stderr, log: readFileSync(log, "utf8").trim().split("\n") };
}

const index = (log: string[], re: RegExp): number => log.findIndex((l) => re.test(l));

/**
 * A copy of this repository, mostly links, in which apps/<service> has a package.json but no sources.
 * scripts/ is copied: local-names.ts prints only when run by its own path.
 */
function repoWithoutSources(service: string): string {
  const repo = mkdtempSync(path.join(tmp, "repo-"));
  for (const e of readdirSync(root)) if (!["apps", "scripts", ".tmp"].includes(e)) symlinkSync(path.join(root, e), path.join(repo, e));
  cpSync(path.join(root, "scripts"), path.join(repo, "scripts"), { recursive: true });
  mkdirSync(path.join(repo, "apps"));
  for (const e of readdirSync(path.join(root, "apps")))
    if (e !== service) symlinkSync(path.join(root, "apps", e), path.join(repo, "apps", e));
  mkdirSync(path.join(repo, "apps", service));
  writeFileSync(path.join(repo, "apps", service, "package.json"), "{}\n");
  return repo;
}

const buildLine = (name: string): RegExp =>
  new RegExp(
    `^minikube -p minikube image build -t tasks\\.local/${name}:src-[0-9a-f]{20} -f apps/Dockerfile --build-opt=build-arg=SERVICE=${name} \\.$`,
  );

describe("scripts/local-up.sh", () => {
  it("starts minikube with Calico, creates the stack, then runs pulumi up and prints the URLs", () => {
    const r = run("local-up.sh", ["--no-verify", "--skip-build"]);
    assert.equal(r.code, 0, r.out);
    const start = index(
      r.log,
      /^minikube start -p minikube --driver=docker --cni=calico --cpus=6 --memory=12g --disk-size=40g --addons=metrics-server$/,
    );
    const init = index(r.log, /^pulumi stack init local --secrets-provider passphrase$/);
    const env = index(r.log, /^minikube -p minikube docker-env --shell bash$/);
    const up = index(r.log, /^pulumi up --stack local --yes --suppress-progress$/);
    assert.ok(start >= 0 && init > start && env > init && up > env, r.log.join("\n"));
    assert.equal(index(r.log, /image build/), -1, "--skip-build builds nothing");
    assert.ok(index(r.log, /^kubectl --context minikube -n tasks wait deployment --all --for=condition=Available --timeout=600s$/) > up);
    assert.match(r.out, /API {8}https:\/\/tasks\.192\.168\.49\.2\.nip\.io:31443\/api\/v1\/tasks/);
    assert.match(r.out, /port-forward svc\/kube-prometheus-stack-grafana 3000:80/);
    assert.doesNotMatch(r.out, /eyJ/, "the development token is not printed when stdout is not a terminal");
  });

  it("builds every image into the node from apps/Dockerfile with the tag the program computes, before pulumi up", () => {
    const r = run("local-up.sh", ["--no-verify"]);
    assert.equal(r.code, 0, r.out);
    const up = index(r.log, /^pulumi up /);
    for (const s of allServices) {
      const build = index(r.log, buildLine(s.name));
      assert.ok(build >= 0 && build < up, `${s.name} is built before pulumi up:\n${r.log.join("\n")}`);
    }
  });

  it("stops before pulumi up, naming the file, when a catalog service has no sources", () => {
    const [first, missing] = [allServices[0]!.name, allServices.at(-1)!.name];
    const r = run("local-up.sh", ["--no-verify"], {}, repoWithoutSources(missing));
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, new RegExp(`\\[local-up\\] ERROR: apps/${missing}/src/main\\.ts is missing: the catalog lists service ${missing}`));
    assert.ok(index(r.log, buildLine(first)) >= 0, "the services before it are built");
    assert.equal(index(r.log, buildLine(missing)), -1);
    assert.equal(index(r.log, /^pulumi up/), -1);
  });

  it("refuses a running cluster without Calico", () => {
    const r = run("local-up.sh", ["--no-verify"], { FAKE_RUNNING: "1", FAKE_CALICO: "0" });
    assert.equal(r.code, 1);
    assert.match(r.out, /\[local-up\] ERROR: profile minikube runs without Calico, so NetworkPolicies would be ignored/);
    assert.equal(index(r.log, /^pulumi up/), -1);
  });

  it("says which config to set when the cluster's address differs from Pulumi.local.yaml", () => {
    const r = run("local-up.sh", ["--no-verify"], { FAKE_IP: "192.168.58.2" });
    assert.equal(r.code, 1);
    assert.match(r.out, /this cluster is 'minikube' at 192\.168\.58\.2/);
    assert.match(r.out, /pulumi config set domain tasks\.192\.168\.58\.2\.nip\.io --stack local/);
  });

  it("names a missing prerequisite and where to get it", () => {
    const r = run("local-up.sh", [], { PATH: `/usr/bin:/bin` });
    assert.equal(r.code, 1);
    assert.match(
      r.out,
      /\[local-up\] ERROR: minikube is required but not on PATH\. Install: https:\/\/minikube\.sigs\.k8s\.io\/docs\/start\//,
    );
  });
});

describe("scripts/local-down.sh", () => {
  it("has nothing to destroy before the stack exists", () => {
    const r = run("local-down.sh", [], { FAKE_RUNNING: "1" });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /\[local-down\] no local stack in file:\/\/.*: nothing to destroy/);
    assert.equal(index(r.log, /^pulumi destroy/), -1);
  });

  it("destroys everything but the data namespace, or everything with --delete-volumes", () => {
    const dir = mkdtempSync(path.join(tmp, "down-"));
    for (const [args, expected] of [
      [[], /^pulumi destroy --stack local --yes --suppress-progress --exclude urn:ns-data --exclude-dependents$/],
      [["--delete-volumes"], /^pulumi destroy --stack local --yes --suppress-progress$/],
    ] as const) {
      writeFileSync(path.join(dir, "stack"), "");
      const r = run("local-down.sh", [...args], { FAKE_RUNNING: "1", FAKE_DIR: dir });
      assert.equal(r.code, 0, r.out);
      assert.ok(index(r.log, expected) >= 0, r.log.join("\n"));
    }
  });
});

describe("scripts/verify-local.sh", () => {
  it("wants a daprd sidecar in the pods of every service that uses Dapr and none in web's, and asks only sidecars for their components", () => {
    const daprApps = allServices.filter(runsDaprSidecar).map((s) => s.name);
    // One run (each takes seconds): audit's pod lacks its sidecar, web's has one it should not.
    const r = run("verify-local.sh", ["--timeout", "1"], { FAKE_SIDECARS: [...daprApps.filter((s) => s !== "audit"), "web"].join(" ") });
    assert.notEqual(r.code, 0);
    assert.deepEqual(
      r.out
        .split("\n")
        .filter((l) => /sidecar/.test(l) && /-0 /.test(l))
        .sort(),
      [
        ...daprApps.filter((s) => s !== "audit").map((s) => `[verify-local] ok: ${s}-0 has the daprd sidecar`),
        "[verify-local] FAIL: audit-0 has no daprd sidecar (containers: audit)",
        "[verify-local] FAIL: web-0 runs a daprd sidecar, but web uses no Dapr building block",
      ].sort(),
    );
    assert.deepEqual(
      r.log.filter((l) => / port-forward pod\//.test(l)).map((l) => l.replace(/^.* pod\/(\S+)-0 .*$/, "$1")),
      daprApps,
    );
  });
});
