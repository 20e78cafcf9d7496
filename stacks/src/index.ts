import * as pulumi from "@pulumi/pulumi";

/**
 * The Pulumi program. The stack name picks the composition: dev and prod on Azure, local on minikube.
 * The returned object is the stack's outputs.
 */
export default async function main(): Promise<Record<string, unknown>> {
  const stack = pulumi.getStack();
  switch (stack) {
    case "dev":
    case "prod": {
      const { deployAzureStack } = await import("./azure-stack.js");
      return deployAzureStack(stack);
    }
    case "local": {
      const { deployLocalStack } = await import("./local-stack.js");
      return deployLocalStack();
    }
    default:
      throw new Error(`Unknown stack "${stack}": this program deploys the stacks dev, prod and local`);
  }
}
