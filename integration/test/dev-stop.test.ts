/**
 * `npm run dev` stops everything it started on Ctrl-C: the test runs `npm run dev` in its own process
 * group, as a terminal would, sends SIGINT to that group (what Ctrl-C does), and checks that every
 * process below it (Kafka, Postgres, the Dapr sentry and scheduler, every daprd and app) is gone. Once
 * after the start, once in the middle of it.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { test } from "node:test";
import { repoRoot } from "@tasks/dev-platform/dev-platform";

/** pid → [parent pid, state, start time] of every process, from /proc. */
function processTable(): Map<number, { ppid: number; state: string; start: string }> {
  const table = new Map<number, { ppid: number; state: string; start: string }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(entry), { ppid: Number(fields[1]), state: fields[0]!, start: fields[19]! });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** Every process below `root` (not itself), with its start time (so a reused pid is not mistaken for it). */
function descendants(root: number): Map<number, string> {
  const table = processTable();
  const found = new Map<number, string>();
  let frontier = [root];
  while (frontier.length > 0) {
    const next: number[] = [];
    for (const [pid, p] of table) {
      if (!frontier.includes(p.ppid) || found.has(pid)) continue;
      found.set(pid, p.start);
      next.push(pid);
    }
    frontier = next;
  }
  return found;
}

/** The pids still alive (zombies count as gone: they have exited). */
function alive(pids: Map<number, string>): string[] {
  const table = processTable();
  return [...pids]
    .filter(([pid, start]) => table.get(pid)?.start === start && table.get(pid)?.state !== "Z")
    .map(([pid]) => `${pid} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").slice(0, 120)}`);
}

async function ctrlCStopsEverything(sendWhen: (out: string) => boolean, what: string): Promise<void> {
  const dev = spawn("npm", ["run", "dev"], {
    cwd: repoRoot,
    env: { ...process.env, DEV_APP_PORTS: "free" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, like a terminal's foreground job
  });
  let out = "";
  const exited = new Promise<number | null>((resolve) => dev.once("exit", (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      if (sendWhen(out)) resolve();
    };
    dev.stdout.on("data", onData);
    dev.stderr.on("data", onData);
    void exited.then(() => reject(new Error(`npm run dev exited before ${what}:\n${out.slice(-3000)}`)));
  });
  let started = new Map<number, string>();
  try {
    await ready;
    started = descendants(dev.pid!);
    assert.ok(started.size >= 3, `npm run dev runs processes (${started.size} found)`);
    process.kill(-dev.pid!, "SIGINT");
    const code = await Promise.race([exited, new Promise<"timeout">((r) => setTimeout(() => r("timeout"), 120_000))]);
    assert.notEqual(code, "timeout", `npm run dev did not exit within 120 s of SIGINT:\n${out.slice(-3000)}`);
    // The stop is over when the launcher exits; give the kernel a moment to finish the exits.
    await new Promise((r) => setTimeout(r, 1000));
    assert.deepEqual(alive(started), [], `processes left after Ctrl-C ${what}:\n${out.slice(-2000)}`);
    assert.match(out, /stopped\n/);
  } finally {
    for (const [pid] of started) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    try {
      process.kill(-dev.pid!, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

test("Ctrl-C on a running npm run dev stops every process it started", { timeout: 600_000 }, () =>
  ctrlCStopsEverything((out) => out.includes("Ctrl-C stops everything."), "after the start"),
);

test("Ctrl-C during the start of npm run dev stops what had started", { timeout: 600_000 }, () =>
  ctrlCStopsEverything((out) => /\] postgres: ok/.test(out), "during the start"),
);
