/** Child processes of `npm run dev` / the integration tests: one log file each, restartable, stopped in order. */
import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";

export interface ProcessSpec {
  /** Shown in progress lines and errors, e.g. "daprd tasks-api". */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Output of every run is appended here. */
  readonly logFile: string;
}

/** The last `lines` lines of a log file, for error messages. */
export function tailOf(file: string, lines = 25): string {
  try {
    return readFileSync(file, "utf8")
      .split("\n")
      .slice(-lines - 1)
      .join("\n");
  } catch {
    return "(no log)";
  }
}

export class ManagedProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  exitCode: number | null = null;

  constructor(readonly spec: ProcessSpec) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    if (this.running) throw new Error(`${this.spec.name} is already running (pid ${this.pid})`);
    const fd = openSync(this.spec.logFile, "a");
    const child = spawn(this.spec.command, [...this.spec.args], {
      cwd: this.spec.cwd,
      env: { ...process.env, ...this.spec.env },
      stdio: ["ignore", fd, fd],
      // Own process group: daprd signals its group on shutdown (that killed the launcher), and Ctrl-C
      // in a terminal must reach only the launcher, which then stops everything in order.
      detached: true,
    });
    closeSync(fd);
    this.child = child;
    this.exitCode = null;
    this.exited = new Promise((resolve) => {
      child.once("exit", (code) => {
        this.exitCode = code;
        resolve();
      });
      child.once("error", () => resolve());
    });
  }

  /** Signals the process's group (it leads one: `detached`), so whatever it started goes too. */
  private signalGroup(signal: NodeJS.Signals): void {
    try {
      process.kill(-this.child!.pid!, signal);
    } catch {
      this.child!.kill(signal);
    }
  }

  /** Sends `signal` to its process group, waits up to `timeoutMs`, then SIGKILL to the group. */
  async stop(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 15_000): Promise<void> {
    if (!this.running) return;
    this.signalGroup(signal);
    const timer = new Promise<"timeout">((r) => setTimeout(() => r("timeout"), timeoutMs).unref());
    if ((await Promise.race([this.exited.then(() => "exited" as const), timer])) === "timeout") {
      this.signalGroup("SIGKILL");
      await this.exited;
    }
  }

  /** Kill -9 to its process group, no grace period (fault tests). */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.signalGroup("SIGKILL");
    await this.exited;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until `url` answers with a status `ok` accepts while `proc` is alive; otherwise throws an
 * error naming the process, what failed and its log file (with the last lines).
 */
export async function waitReady(
  proc: ManagedProcess,
  url: string,
  timeoutMs: number,
  ok: (status: number) => boolean = (s) => s >= 200 && s < 300,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (!proc.running) {
      throw new Error(
        `${proc.spec.name} exited (code ${proc.exitCode}) during start-up; log: ${proc.spec.logFile}\n${tailOf(proc.spec.logFile)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (ok(res.status)) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = String((err as Error).cause ?? err);
    }
    await sleep(200);
  }
  throw new Error(
    `${proc.spec.name} did not answer ${url} within ${timeoutMs / 1000}s (last: ${last}); log: ${proc.spec.logFile}\n${tailOf(proc.spec.logFile)}`,
  );
}
