import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { aksServerAppId, toKubeloginExec } from "../../src/azure/kubeconfig/kubelogin.js";

const header = `apiVersion: v1
kind: Config
clusters:
- cluster: {server: "https://aks.example:443", certificate-authority-data: Q0E=}
  name: aks
contexts:
- context: {cluster: aks, user: u}
  name: aks
current-context: aks
`;

type Doc = { users: { name: string; user: Record<string, { command?: string; args?: string[] }> }[]; clusters: unknown[] };

describe("kubelogin kubeconfig", () => {
  it("converts the exec (devicecode) kubeconfig to a non-interactive login, keeping the server id", () => {
    const input = `${header}users:
- name: u
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: kubelogin
      args: [get-token, --environment, AzurePublicCloud, --server-id, 11111111-2222-3333-4444-555555555555, --login, devicecode]
`;
    const out = parse(toKubeloginExec(input, "azurecli")) as Doc;
    assert.deepEqual(out.users[0]!.user.exec!.args, [
      "get-token",
      "--login",
      "azurecli",
      "--server-id",
      "11111111-2222-3333-4444-555555555555",
    ]);
    assert.equal(out.users[0]!.user.exec!.command, "kubelogin");
    assert.deepEqual(Object.keys(out.users[0]!.user), ["exec"]);
    assert.equal(out.clusters.length, 1);
  });

  it("converts the legacy azure auth-provider kubeconfig", () => {
    const input = `${header}users:
- name: u
  user:
    auth-provider:
      name: azure
      config: {apiserver-id: ${aksServerAppId}, client-id: x, tenant-id: t, environment: AzurePublicCloud, config-mode: "1"}
`;
    const out = parse(toKubeloginExec(input, "workloadidentity")) as Doc;
    assert.deepEqual(out.users[0]!.user.exec!.args, ["get-token", "--login", "workloadidentity", "--server-id", aksServerAppId]);
    assert.equal("auth-provider" in out.users[0]!.user, false);
  });

  it("refuses a kubeconfig with static credentials (a local account)", () => {
    const input = `${header}users:
- name: clusterAdmin
  user: {client-certificate-data: Q0VSVA==, client-key-data: S0VZ, token: abc}
`;
    assert.throws(() => toKubeloginExec(input, "azurecli"), {
      message:
        'kubeconfig user "clusterAdmin" carries static credentials (client-certificate-data, client-key-data, token); expected an Entra ID user of a cluster with local accounts disabled',
    });
    assert.throws(() => toKubeloginExec("apiVersion: v1\n", "azurecli"), { message: "kubeconfig has no users" });
  });
});
