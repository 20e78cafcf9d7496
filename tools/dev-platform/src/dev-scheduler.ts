import path from "node:path";

/** Ports of the standalone Dapr scheduler (its embedded etcd included). */
export interface SchedulerPorts {
  readonly port: number;
  readonly healthz: number;
  readonly metrics: number;
  readonly etcdClient: number;
  readonly etcdPeer: number;
}

/** The Dapr scheduler in standalone mode on loopback, with its etcd data in the work dir. */
export function schedulerArgs(ports: SchedulerPorts, workDir: string): string[] {
  return [
    ...["--port", String(ports.port), "--listen-address", "127.0.0.1", "--override-broadcast-host-port", `127.0.0.1:${ports.port}`],
    ...["--healthz-port", String(ports.healthz), "--healthz-listen-address", "127.0.0.1"],
    ...["--metrics-port", String(ports.metrics), "--metrics-listen-address", "127.0.0.1"],
    ...["--etcd-data-dir", path.join(workDir, "scheduler-etcd")],
    ...["--etcd-client-port", String(ports.etcdClient), "--etcd-client-listen-address", "127.0.0.1"],
    ...["--etcd-initial-cluster", `dapr-scheduler-server-0=http://127.0.0.1:${ports.etcdPeer}`],
    ...["--id", "dapr-scheduler-server-0", "--mode", "standalone"],
  ];
}
