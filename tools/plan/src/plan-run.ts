import path from "node:path";
import type { MockedRun } from "@tasks/stacks/offline/mocked-run";
import type { StackName } from "@tasks/stacks/offline/stack-config";

/** One line for the user: what went wrong, never a stack trace. */
export function describeFailure(err: unknown, stack: string): string {
  const e = err as { code?: string; message?: string; name?: string };
  const message = String(e?.message ?? err);
  if (e?.code === "ERR_MODULE_NOT_FOUND") {
    const missing = /Cannot find (?:module|package) '([^']+)'/.exec(message)?.[1] ?? message;
    return `the ${stack} stack cannot be evaluated: a module it needs is missing (${path.relative(process.cwd(), missing.replace(/^file:\/\//, "")) || missing})`;
  }
  const firstLine = message.split("\n")[0]!.trim();
  return e?.name === "StackConfigError" ? firstLine : `the ${stack} stack failed: ${firstLine}`;
}

/** Evaluates one stack under mocks. Source maps are off: Pulumi records a stack trace for every promise and resource, and mapping them through tsx's source maps doubles the run time. */
export async function evaluateStack(stack: StackName, configOverrides: Readonly<Record<string, string>> = {}): Promise<MockedRun> {
  process.setSourceMapsEnabled(false);
  const { runStackMocked } = await import("@tasks/stacks/offline/mocked-run");
  return runStackMocked(stack, { configOverrides });
}
