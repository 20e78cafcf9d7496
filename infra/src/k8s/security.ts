import type * as k8s from "@pulumi/kubernetes";

/**
 * Pod Security "restricted" for every pod the program runs (services, the database-roles Job, the local
 * data services): non-root as `uid`, its group owning the volumes, the runtime's seccomp profile.
 */
export function restrictedPod(
  uid: number,
  options: {
    /** OnRootMismatch skips the recursive chown of a volume that already belongs to fsGroup (persistent data). */
    readonly fsGroupChangePolicy?: "OnRootMismatch" | "Always";
  } = {},
): k8s.types.input.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    ...(options.fsGroupChangePolicy ? { fsGroupChangePolicy: options.fsGroupChangePolicy } : {}),
    seccompProfile: { type: "RuntimeDefault" },
  };
}

/** The container side: no privilege or escalation, every capability dropped, a read-only root filesystem. */
export function restrictedContainer(uid: number): k8s.types.input.core.v1.SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    privileged: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}
