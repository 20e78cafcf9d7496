import { parse, stringify } from "yaml";

/**
 * AKS with local accounts disabled only hands out Entra ID kubeconfigs; they authenticate through the
 * kubelogin exec plugin. This converts the kubeconfig of listManagedClusterUserCredentials (legacy
 * `azure` auth-provider or `exec` format) to a non-interactive kubelogin login mode, as
 * `kubelogin convert-kubeconfig -l <mode>` does.
 */

/** The AKS AAD server application id: the audience of every AKS Entra token. */
export const aksServerAppId = "6dae42f8-4368-4678-94ff-3960e28e3630";

/**
 * azurecli: the token of `az login` (GitHub Actions after azure/login with OIDC, or a developer).
 * workloadidentity: AZURE_CLIENT_ID / AZURE_TENANT_ID / AZURE_FEDERATED_TOKEN_FILE (runs inside a pod).
 */
export type KubeloginMode = "azurecli" | "workloadidentity";

interface KubeUser {
  name?: string;
  user?: Record<string, unknown> & { exec?: { args?: unknown[] }; "auth-provider"?: { name?: string; config?: Record<string, string> } };
}

const staticCredentialKeys = ["client-certificate-data", "client-key-data", "token", "username", "password"];

/** Returns the kubeconfig YAML with every user authenticating through `kubelogin get-token --login <mode>`. */
export function toKubeloginExec(kubeconfigYaml: string, mode: KubeloginMode): string {
  const doc = parse(kubeconfigYaml) as { users?: KubeUser[] } | null;
  if (!doc || !Array.isArray(doc.users) || doc.users.length === 0) throw new Error("kubeconfig has no users");
  doc.users = doc.users.map((u) => {
    const user = u.user ?? {};
    const found = staticCredentialKeys.filter((k) => k in user);
    if (found.length)
      throw new Error(
        `kubeconfig user "${u.name}" carries static credentials (${found.join(", ")}); expected an Entra ID user of a cluster with local accounts disabled`,
      );
    const serverId = serverIdOf(user) ?? aksServerAppId;
    return {
      name: u.name,
      user: {
        exec: {
          apiVersion: "client.authentication.k8s.io/v1beta1",
          command: "kubelogin",
          args: ["get-token", "--login", mode, "--server-id", serverId],
          env: null,
          provideClusterInfo: false,
          interactiveMode: "Never",
          installHint: "kubelogin is required: https://azure.github.io/kubelogin/install.html",
        },
      },
    };
  });
  return stringify(doc);
}

function serverIdOf(user: NonNullable<KubeUser["user"]>): string | undefined {
  const fromProvider = user["auth-provider"]?.config?.["apiserver-id"];
  if (fromProvider) return fromProvider;
  const args = (user.exec?.args ?? []).map(String);
  const i = args.indexOf("--server-id");
  return i >= 0 ? args[i + 1] : undefined;
}
