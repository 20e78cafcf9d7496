import type * as pulumi from "@pulumi/pulumi";
import { Sleep } from "@pulumiverse/time/sleep.js";

/**
 * Azure answers a new role assignment or federated credential at once but applies it later: "it can take up
 * to 10 minutes for changes to take effect" for role assignments (learn.microsoft.com, Azure RBAC
 * troubleshooting, "Symptom - Role assignment changes are not being detected"); AKS's Azure RBAC data plane
 * takes up to 5 minutes; a new federated identity credential takes seconds. What uses the new right must
 * wait, or its first calls fail with 403 (a Deployment that never gets ready, a first Namespace refused).
 */
export const propagationDelays = {
  /** Roles the next program run or job relies on from its first call (the deployers' AKS data roles). */
  rbac: "300s",
  /** Roles and federated credentials of workloads, whose pods retry: a shorter head start suffices. */
  workload: "120s",
} as const;

export interface PropagationWaitArgs {
  /** What was just created: the wait starts when they exist. */
  readonly after: readonly pulumi.Resource[];
  /**
   * Values whose change means new assignments to wait for (their ids): the wait runs on create and again
   * only when one of these changes, never on an update that adds nothing.
   */
  readonly triggers: Readonly<Record<string, pulumi.Input<string>>>;
  /** @default propagationDelays.workload */
  readonly duration?: string;
}

/** A time.Sleep after role assignments (or federated credentials); make what uses them depend on it. */
export function propagationWait(name: string, args: PropagationWaitArgs, opts: pulumi.CustomResourceOptions = {}): Sleep {
  if (!/^\d+s$/.test(args.duration ?? propagationDelays.workload))
    throw new Error(`propagationWait: duration must be seconds such as "120s", got "${args.duration}"`);
  return new Sleep(
    name,
    { createDuration: args.duration ?? propagationDelays.workload, triggers: { ...args.triggers } },
    { ...opts, dependsOn: [...args.after] },
  );
}
