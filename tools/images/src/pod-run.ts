/**
 * A Deployment's app container as a `podman run` command line: the pod spec the infra workload builder
 * produced (rendered by `npm run plan -- --render`), translated field by field, so the container tier
 * runs each image the way Kubernetes would. A field this cannot reproduce is an error, never silently
 * dropped: a new volume type or a secret env var in the pod spec fails the tier until it is handled here.
 *
 * Differences from a kubelet that remain: host networking (every service and its daprd on 127.0.0.1,
 * on free ports, so PORT and DAPR_HTTP_PORT are overridden), no service-account token mount (there is no
 * API server; only the sidecar uses it), an emptyDir is a tmpfs of the same size limit, and a `secret`
 * volume's items are bind-mounted read-only from files the caller supplies (`secretFiles`), which the
 * caller gives the pod's ownership (root, fsGroup) and defaultMode.
 */

/** The parts of a rendered apps/v1 Deployment this reads. */
export interface DeploymentManifest {
  readonly metadata: { readonly name?: string };
  readonly spec: { readonly template: { readonly spec: PodSpec } };
}

interface SecurityContext {
  readonly runAsUser?: number;
  readonly runAsGroup?: number;
  readonly runAsNonRoot?: boolean;
  readonly fsGroup?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[]; readonly add?: readonly string[] };
  readonly seccompProfile?: { readonly type: string };
}

export interface Probe {
  readonly httpGet?: { readonly path: string; readonly port: string | number };
  readonly periodSeconds?: number;
  readonly failureThreshold?: number;
}

export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly workingDir?: string;
  readonly env?: readonly { readonly name: string; readonly value?: string; readonly valueFrom?: unknown }[];
  readonly envFrom?: readonly unknown[];
  readonly resources?: { readonly limits?: { readonly cpu?: string; readonly memory?: string } };
  readonly securityContext?: SecurityContext;
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean }[];
  readonly startupProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
}

export interface PodSpec {
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly securityContext?: SecurityContext;
  readonly terminationGracePeriodSeconds?: number;
  readonly volumes?: readonly {
    readonly name: string;
    readonly emptyDir?: { readonly sizeLimit?: string; readonly medium?: string };
    readonly secret?: SecretVolume;
  }[];
}

export interface SecretVolume {
  readonly secretName: string;
  readonly items?: readonly { readonly key: string; readonly path: string }[];
  readonly defaultMode?: number;
}

export interface PodmanRunOptions {
  /** Container name (unique per run). */
  readonly name: string;
  /** Env set over the pod's, with the reason the tier needs each (host networking: ports). */
  readonly envOverrides?: Readonly<Record<string, string>>;
  readonly labels?: Readonly<Record<string, string>>;
  /** Host files holding the pod's Secrets, by Secret name and key: each `secret` volume item is mounted from one. */
  readonly secretFiles?: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** "500m" → "0.5", "2" → "2". */
export function cpuQuantity(q: string): string {
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(q);
  if (!m) throw new Error(`resources.limits.cpu: "${q}" is not a CPU quantity this can translate`);
  return m[2] ? String(Number(m[1]) / 1000) : m[1]!;
}

const memoryUnits: Record<string, number> = { "": 1, K: 1e3, M: 1e6, G: 1e9, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30 };

/** A Kubernetes memory quantity in bytes: "64Mi" → 67108864, "500M" → 500000000. */
export function memoryBytes(q: string): number {
  const m = /^(\d+)(Ki|Mi|Gi|K|M|G)?$/.exec(q);
  if (!m) throw new Error(`"${q}" is not a memory quantity this can translate`);
  return Number(m[1]) * memoryUnits[m[2] ?? ""]!;
}

/** The one app container of a Deployment (its only container: Dapr injects the sidecar at admission). */
export function appContainer(d: DeploymentManifest): ContainerSpec {
  const pod = d.spec.template.spec;
  if (pod.containers.length !== 1) throw new Error(`Deployment ${d.metadata.name}: expected one container, found ${pod.containers.length}`);
  if (pod.initContainers?.length) throw new Error(`Deployment ${d.metadata.name}: initContainers are not supported by the container tier`);
  return pod.containers[0]!;
}

/**
 * `podman run` arguments (before the image) for the Deployment's app container, then the image and its
 * command/args. The caller adds nothing that changes the security of the container.
 */
export function podmanRunArgs(d: DeploymentManifest, o: PodmanRunOptions): string[] {
  const pod = d.spec.template.spec;
  const c = appContainer(d);
  const where = `Deployment ${d.metadata.name} container ${c.name}`;
  const sc: SecurityContext = { ...pod.securityContext, ...c.securityContext };
  const uid = sc.runAsUser;
  if (uid === undefined) throw new Error(`${where}: no runAsUser; the tier runs only what the pod pins`);
  if (sc.runAsNonRoot && uid === 0) throw new Error(`${where}: runAsNonRoot with runAsUser 0`);
  if (sc.privileged) throw new Error(`${where}: privileged containers are not supported`);
  const args = ["run", "--name", o.name, "--replace", "--rm", "--pull", "never", "--network", "host"];
  args.push("--user", `${uid}:${sc.runAsGroup ?? uid}`);
  if (pod.securityContext?.fsGroup !== undefined) args.push("--group-add", String(pod.securityContext.fsGroup));
  if (sc.allowPrivilegeEscalation === false) args.push("--security-opt", "no-new-privileges");
  for (const cap of sc.capabilities?.drop ?? []) args.push("--cap-drop", cap);
  for (const cap of sc.capabilities?.add ?? []) args.push("--cap-add", cap);
  const seccomp = sc.seccompProfile?.type ?? "RuntimeDefault";
  if (seccomp === "Unconfined") args.push("--security-opt", "seccomp=unconfined");
  else if (seccomp !== "RuntimeDefault") throw new Error(`${where}: seccompProfile ${seccomp} is not supported`);
  // Without --read-only-tmpfs=false podman would add writable tmpfs on /tmp, /var/tmp and /run that the pod lacks.
  if (sc.readOnlyRootFilesystem) args.push("--read-only", "--read-only-tmpfs=false");
  for (const m of c.volumeMounts ?? []) {
    const v = pod.volumes?.find((x) => x.name === m.name);
    if (v?.secret) {
      if (!m.readOnly) throw new Error(`${where}: volume ${m.name} mounts Secret ${v.secret.secretName} writable`);
      const items = v.secret.items;
      if (!items?.length) throw new Error(`${where}: volume ${m.name} mounts all of Secret ${v.secret.secretName}; list its items`);
      for (const item of items) {
        const file = o.secretFiles?.[v.secret.secretName]?.[item.key];
        if (!file) throw new Error(`${where}: no file given for key ${item.key} of Secret ${v.secret.secretName} (volume ${m.name})`);
        args.push("--volume", `${file}:${m.mountPath}/${item.path}:ro`);
      }
      continue;
    }
    if (!v?.emptyDir) throw new Error(`${where}: volume ${m.name} is neither an emptyDir nor a Secret; only those are supported`);
    const size = v.emptyDir.sizeLimit ? `,size=${memoryBytes(v.emptyDir.sizeLimit)}` : "";
    args.push("--tmpfs", `${m.mountPath}:${m.readOnly ? "ro" : "rw"},nosuid,nodev,mode=1777${size}`);
  }
  if (c.resources?.limits?.memory) args.push("--memory", String(memoryBytes(c.resources.limits.memory)));
  if (c.resources?.limits?.cpu) args.push("--cpus", cpuQuantity(c.resources.limits.cpu));
  if (pod.terminationGracePeriodSeconds !== undefined) args.push("--stop-timeout", String(pod.terminationGracePeriodSeconds));
  if (c.workingDir) args.push("--workdir", c.workingDir);
  if (c.envFrom?.length) throw new Error(`${where}: envFrom is not supported`);
  const env = new Map<string, string>();
  for (const e of c.env ?? []) {
    if (e.value === undefined) throw new Error(`${where}: env ${e.name} uses valueFrom, which is not supported`);
    env.set(e.name, e.value);
  }
  for (const [k, v] of Object.entries(o.envOverrides ?? {})) env.set(k, v);
  for (const [k, v] of env) args.push("--env", `${k}=${v}`);
  for (const [k, v] of Object.entries(o.labels ?? {})) args.push("--label", `${k}=${v}`);
  if (c.command?.length) args.push("--entrypoint", JSON.stringify(c.command));
  args.push(c.image, ...(c.args ?? []));
  return args;
}
