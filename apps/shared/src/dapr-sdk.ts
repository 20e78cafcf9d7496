/**
 * @dapr/dapr's DaprClient (HTTP) for the sidecar calls where `npm run bench:dapr` shows it no slower than
 * the raw client it replaces: reading secrets (see README "Dapr clients"). One client per sidecar and
 * token; it sends Dapr's API token as `dapr-api-token`. Its logger stays silent: at debug level it would
 * print the request headers, the token included.
 */
import { CommunicationProtocolEnum, DaprClient, LogLevel, type LoggerService } from "@dapr/dapr";
import type { SidecarOptions } from "./dapr.js";

const silent: LoggerService = {
  error: () => undefined,
  warn: () => undefined,
  info: () => undefined,
  verbose: () => undefined,
  debug: () => undefined,
};
const clients = new Map<string, DaprClient>();

/** The DaprClient of the sidecar at `opts.daprHttpUrl`, sending `opts.apiToken`. */
export function daprClient(opts: Pick<SidecarOptions, "daprHttpUrl" | "apiToken">): DaprClient {
  const key = `${opts.daprHttpUrl}\n${opts.apiToken ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    const url = new URL(opts.daprHttpUrl);
    client = new DaprClient({
      daprHost: url.hostname,
      daprPort: url.port || "80",
      communicationProtocol: CommunicationProtocolEnum.HTTP,
      ...(opts.apiToken ? { daprApiToken: opts.apiToken } : {}),
      logger: { level: LogLevel.Error, service: silent },
    });
    clients.set(key, client);
  }
  return client;
}

/** The HTTP status in an error the SDK throws for a non-2xx answer (its message is JSON with `status`). */
export function sdkErrorStatus(err: unknown): number | undefined {
  try {
    const status = (JSON.parse((err as Error).message) as { status?: unknown }).status;
    return typeof status === "number" ? status : undefined;
  } catch {
    return undefined;
  }
}
