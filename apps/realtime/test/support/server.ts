/** A realtime app listening on a free port of 127.0.0.1 with its WebSocket endpoint attached, its history in the stand-in sidecar's state. */
import type { AddressInfo } from "node:net";
import { listen } from "@tasks/shared";
import { testAppDeps } from "@tasks/shared/testing";
import { createRealtimeApp, daprStateHistory, wsPath, type RealtimeAppDeps } from "../../src/index.js";

export interface RealtimeTestServer {
  readonly realtime: ReturnType<typeof createRealtimeApp>;
  /** http://127.0.0.1:<port> */
  readonly base: string;
  /** The WebSocket endpoint: ws://127.0.0.1:<port><wsPath> */
  readonly wsUrl: string;
  /** Closes the sockets and the server. */
  close(): Promise<void>;
}

/**
 * `history` sizes the event history kept in the "statestore" of the sidecar at `sidecarUrl`; `deps` replace
 * the test defaults (testAppDeps).
 */
export async function startRealtimeServer(
  sidecarUrl: string,
  history: { readonly maxEvents: number; readonly ttlSeconds?: number },
  deps: Partial<Omit<RealtimeAppDeps, "sidecar" | "history">> = {},
): Promise<RealtimeTestServer> {
  const realtime = createRealtimeApp({
    ...testAppDeps("realtime"),
    sidecar: { daprHttpUrl: sidecarUrl },
    history: daprStateHistory({ daprHttpUrl: sidecarUrl }, { store: "statestore", ...history }),
    ...deps,
  });
  const server = await listen(realtime.app, 0, "127.0.0.1");
  const sockets = realtime.attach(server);
  const { port } = server.address() as AddressInfo;
  return {
    realtime,
    base: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}${wsPath}`,
    async close() {
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
