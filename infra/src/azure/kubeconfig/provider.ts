import * as pulumi from "@pulumi/pulumi";
import { listManagedClusterUserCredentialsOutput } from "@pulumi/azure-native/containerservice/listManagedClusterUserCredentials.js";
import { Provider } from "@pulumi/kubernetes/provider.js";
import { toKubeloginExec, type KubeloginMode } from "./kubelogin.js";

export interface AksProviderArgs {
  readonly resourceGroupName: pulumi.Input<string>;
  readonly clusterName: pulumi.Input<string>;
  /** How kubelogin gets its token where `pulumi up` runs. @default "azurecli" */
  readonly loginMode?: KubeloginMode;
}

/** The Entra ID (kubelogin) kubeconfig of an AKS cluster, as a secret. */
export function aksKubeconfig(args: AksProviderArgs): pulumi.Output<string> {
  const mode = args.loginMode ?? "azurecli";
  const creds = listManagedClusterUserCredentialsOutput({
    resourceGroupName: args.resourceGroupName,
    resourceName: args.clusterName,
    format: "exec",
  });
  return pulumi.secret(
    creds.kubeconfigs.apply((list) => {
      const value = list[0]?.value;
      if (!value) throw new Error("AKS returned no user kubeconfig");
      return toKubeloginExec(Buffer.from(value, "base64").toString("utf8"), mode);
    }),
  );
}

/**
 * A Kubernetes provider for an AKS cluster that has local accounts disabled (Entra ID via kubelogin),
 * with the kubeconfig it uses.
 */
export function aksKubernetesProvider(
  name: string,
  args: AksProviderArgs,
  opts?: pulumi.CustomResourceOptions,
): { provider: Provider; kubeconfig: pulumi.Output<string> } {
  const kubeconfig = aksKubeconfig(args);
  return { provider: new Provider(name, { kubeconfig, enableServerSideApply: true }, opts), kubeconfig };
}
