/** The kube-apiserver and etcd binaries: from the environment, else from scripts/integration/kube-apiserver-binary.sh. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { binariesFromEnv, type ApiServerBinaries } from "./apiserver.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
export const binaryScript = "scripts/integration/kube-apiserver-binary.sh";

/**
 * KUBE_APISERVER and ETCD when both are set (scripts/test.ts sets them for the tier); otherwise runs the
 * script, which builds kube-apiserver once into the cache (progress on stderr) and finds etcd.
 */
export function resolveBinaries(env: NodeJS.ProcessEnv = process.env): ApiServerBinaries & { version?: string } {
  const given = binariesFromEnv(env);
  if (given) return { ...given, version: env.KUBERNETES_VERSION };
  const r = spawnSync("bash", [path.join(root, binaryScript)], { cwd: root, env, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
  if (r.status !== 0) throw new Error(`${binaryScript} failed (exit ${r.status ?? r.signal}): see its messages above`);
  const kv = Object.fromEntries([...r.stdout.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
  const found = binariesFromEnv(kv);
  if (!found) throw new Error(`${binaryScript} printed no KUBE_APISERVER/ETCD: ${r.stdout}`);
  return { ...found, version: kv.KUBERNETES_VERSION };
}
