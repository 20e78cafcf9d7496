import * as pulumi from "@pulumi/pulumi";
import { guardTransformation, protectionFor } from "./protection.js";

/**
 * The Pulumi program. The stack name picks the composition: bootstrap (identity and governance, run once by
 * an owner), dev and prod on Azure, local on minikube.
 * The returned object is the stack's outputs.
 */
export default async function main(): Promise<Record<string, unknown>> {
  const stack = pulumi.getStack();
  if (stack !== "dev" && stack !== "prod" && stack !== "local" && stack !== "bootstrap") {
    throw new Error(`Unknown stack "${stack}": this program deploys the stacks bootstrap, dev, prod and local`);
  }
  // The destructive-change guard: protect (and retainOnDelete) on the stateful resources, by stack.
  pulumi.runtime.registerStackTransformation(guardTransformation(protectionFor(stack)));
  if (stack === "bootstrap") {
    const { deployBootstrap } = await import("./bootstrap.js");
    return deployBootstrap();
  }
  if (stack === "local") {
    const { deployLocalStack } = await import("./local-stack.js");
    return deployLocalStack();
  }
  const { deployAzureStack } = await import("./azure-stack.js");
  return deployAzureStack(stack);
}
