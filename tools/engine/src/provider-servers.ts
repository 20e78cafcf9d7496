/**
 * Starts one mock provider server per package the stacks use, each on a free local port, and says how
 * to attach the engine to them: PULUMI_DEBUG_PROVIDERS="azure-native:PORT,kubernetes:PORT,…" (the engine
 * then talks to these servers instead of launching provider plugins).
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as grpc from "@grpc/grpc-js";
import provrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import { mockProviderService, type ProviderLog } from "./mock-provider.js";

/** The provider packages of the stacks (infra/package.json and stacks' dependencies). */
export const providerPackages = ["azure-native", "azuread", "random", "kubernetes", "kafka", "docker-build", "time"] as const;

/** The npm package of a provider's SDK: `@pulumi/<pkg>`, or the community scope's for pulumiverse providers. */
const sdkPackage = (pkg: string): string => (pkg === "time" ? "@pulumiverse/time" : `@pulumi/${pkg}`);

export interface ProviderServers {
  /** The value for PULUMI_DEBUG_PROVIDERS. */
  readonly debugProviders: string;
  readonly ports: Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** The version of `@pulumi/<pkg>` a project resolves: the plugin version its program asks for. */
export function sdkVersion(projectRoot: string, pkg: string): string {
  const require = createRequire(path.join(projectRoot, "infra", "package.json"));
  const manifest = JSON.parse(readFileSync(require.resolve(`${sdkPackage(pkg)}/package.json`), "utf8")) as {
    version: string;
    pulumi?: { version?: string };
  };
  return manifest.pulumi?.version ?? manifest.version;
}

export async function startProviderServers(projectRoot: string, log?: ProviderLog): Promise<ProviderServers> {
  const servers: grpc.Server[] = [];
  const ports: Record<string, number> = {};
  try {
    for (const pkg of providerPackages) {
      // Large checkpoints and kubeconfigs: lift gRPC's 4 MB default like the engine does.
      const server = new grpc.Server({ "grpc.max_receive_message_length": 400 << 20, "grpc.max_send_message_length": 400 << 20 });
      server.addService(
        provrpc.ResourceProviderService,
        mockProviderService({ pkg, version: sdkVersion(projectRoot, pkg), ...(log ? { log } : {}) }),
      );
      servers.push(server);
      ports[pkg] = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) => (err ? reject(err) : resolve(port))),
      );
    }
  } catch (e) {
    for (const s of servers) s.forceShutdown();
    throw e;
  }
  return {
    ports,
    debugProviders: Object.entries(ports)
      .map(([pkg, port]) => `${pkg}:${port}`)
      .join(","),
    close: () => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.tryShutdown(() => resolve())))).then(() => undefined),
  };
}
