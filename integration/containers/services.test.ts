/**
 * The container tier: every catalog service's image (built by `npm run images`) started the way the local
 * stack's Deployment runs it, next to a real daprd, Kafka, Postgres, Dapr scheduler and SMTP catcher.
 * Shows the pod's settings took effect inside each container, the probes answer, one real flow runs
 * through the containers, nothing is written outside the emptyDir tmpfs, and SIGTERM drains each one
 * within the pod's terminationGracePeriodSeconds.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import net from "node:net";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import WebSocket from "ws";
import { allServices, serviceUid, topics, type ServiceName } from "@tasks/catalog";
import { appContainer, memoryBytes } from "@tasks/images/pod-run";
import { imageFacts, podman, podmanOk } from "@tasks/images/podman";
import { localStackRegistry, serviceImages } from "@tasks/images/refs";
import { api, connectRealtime, eventually, waitRealtimeLive } from "../test/helpers.js";
import { hostNetworkEnv } from "@tasks/images/containers";
import { startContainerPlatform, type ContainerPlatform } from "./container-platform.js";

const names = allServices.map((s) => s.name);
let cp: ContainerPlatform;
const log = (l: string) => process.stderr.write(`[containers] ${l}\n`);

before(
  async () => {
    cp = await startContainerPlatform(log);
    await waitRealtimeLive(cp.platform, "realtime-probe");
  },
  { timeout: 420_000 },
);
after(
  async () => {
    await cp?.stop();
  },
  { timeout: 180_000 },
);

interface Inspect {
  ImageName: string;
  Config: { User: string; Env: string[] };
  Mounts: { Type: string; Destination: string; RW: boolean }[] | null;
  HostConfig: {
    ReadonlyRootfs: boolean;
    CapDrop: string[] | null;
    CapAdd: string[] | null;
    SecurityOpt: string[] | null;
    Tmpfs: Record<string, string> | null;
    Memory: number;
    NanoCpus: number;
  };
}
const inspect = async (service: ServiceName): Promise<Inspect> =>
  (JSON.parse(await podmanOk(["container", "inspect", cp.containerName(service)])) as Inspect[])[0]!;
const exec = (service: ServiceName, cmd: string[]) => podman(["exec", cp.containerName(service), ...cmd]);
/** Where the pod mounts each item of its Secret volumes (the Dapr tokens). */
const secretTargets = (service: ServiceName): string[] => {
  const pod = cp.deployments[service].spec.template.spec;
  return (appContainer(cp.deployments[service]).volumeMounts ?? [])
    .flatMap((m) => {
      const secret = pod.volumes?.find((v) => v.name === m.name)?.secret;
      return (secret?.items ?? []).map((item) => `${m.mountPath}/${item.path}`);
    })
    .sort();
};
const podEnv = (service: ServiceName) => new Map((appContainer(cp.deployments[service]).env ?? []).map((e) => [e.name, e.value!]));

test("every Deployment of the local stack runs the image npm run images built, under the tag the Pulumi program computes", async () => {
  const built = serviceImages(localStackRegistry());
  for (const service of names) {
    const ref = built.find((b) => b.service === service)!.ref;
    assert.equal(appContainer(cp.deployments[service]).image, ref, `${service}: Deployment image`);
    assert.equal((await inspect(service)).ImageName, ref, `${service}: running image`);
  }
});

test("every image is at most 250 MB uncompressed", async (t) => {
  for (const b of serviceImages(localStackRegistry())) {
    const facts = await imageFacts(b.ref);
    t.diagnostic(`${b.service}: ${(facts.size / 1e6).toFixed(1)} MB, ${facts.layers} layers`);
    assert.ok(facts.size <= 250e6, `${b.ref} is ${(facts.size / 1e6).toFixed(1)} MB`);
  }
});

test("each container has its pod's user, read-only root, dropped capabilities, no-new-privileges, emptyDir tmpfs, limits and env", async () => {
  for (const service of names) {
    const d = cp.deployments[service];
    const c = appContainer(d);
    const i = await inspect(service);
    assert.equal(i.Config.User, `${serviceUid}:${serviceUid}`, service);
    assert.equal(i.HostConfig.ReadonlyRootfs, true, `${service}: read-only root`);
    assert.deepEqual(i.HostConfig.CapAdd ?? [], [], `${service}: no added capability`);
    assert.ok((i.HostConfig.SecurityOpt ?? []).includes("no-new-privileges"), `${service}: ${i.HostConfig.SecurityOpt}`);
    const volumeOf = (name: string) => d.spec.template.spec.volumes?.find((v) => v.name === name);
    const emptyDirs = (c.volumeMounts ?? [])
      .filter((m) => volumeOf(m.name)?.emptyDir)
      .map((m) => m.mountPath)
      .sort();
    assert.deepEqual(Object.keys(i.HostConfig.Tmpfs ?? {}).sort(), emptyDirs, `${service}: tmpfs exactly where the pod mounts an emptyDir`);
    // The Dapr tokens: each Secret item bind-mounted read-only where the pod mounts it, nothing else.
    assert.deepEqual(
      (i.Mounts ?? [])
        .filter((m) => m.Type === "bind")
        .map((m) => `${m.Destination}:${m.RW ? "rw" : "ro"}`)
        .sort(),
      secretTargets(service).map((t) => `${t}:ro`),
      `${service}: the token files`,
    );
    assert.equal(i.HostConfig.Memory, memoryBytes(c.resources!.limits!.memory!), `${service}: memory limit`);
    assert.ok(i.HostConfig.NanoCpus > 0, `${service}: a CPU limit`);
    const env = new Map(i.Config.Env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
    for (const [k, v] of podEnv(service)) {
      if (!(hostNetworkEnv as readonly string[]).includes(k)) assert.equal(env.get(k), v, `${service}: env ${k} as in the pod`);
    }
  }
});

test("inside each container: the app is uid 10001 with no capabilities and no-new-privileges; only the tmpfs is writable", async () => {
  for (const service of names) {
    const status = (await exec(service, ["cat", "/proc/1/status"])).stdout;
    const field = (k: string) => new RegExp(`^${k}:\\s*(.*)$`, "m").exec(status)?.[1]?.trim().split(/\s+/);
    assert.deepEqual(field("Uid"), Array(4).fill(String(serviceUid)), `${service}: uids of PID 1`);
    assert.deepEqual(field("Gid"), Array(4).fill(String(serviceUid)), `${service}: gids of PID 1`);
    for (const cap of ["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"])
      assert.deepEqual(field(cap), ["0000000000000000"], `${service}: ${cap}`);
    assert.deepEqual(field("NoNewPrivs"), ["1"], `${service}: NoNewPrivs`);
    const probe = `
      const fs = require("fs");
      const out = {};
      for (const d of ["/", "/app", process.cwd(), "/home/node", "/var/tmp", "/run", "/usr/local/bin", "/tmp"]) {
        try { fs.writeFileSync(d + "/.write-probe", "x"); fs.rmSync(d + "/.write-probe"); out[d] = "written"; } catch (e) { out[d] = e.code; }
      }
      console.log(JSON.stringify(out));`;
    const r = await exec(service, ["node", "-e", probe]);
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as Record<string, string>;
    const { "/tmp": tmp, ...rest } = result;
    assert.equal(tmp, "written", `${service}: /tmp (the emptyDir) is writable`);
    for (const [dir, code] of Object.entries(rest)) assert.equal(code, "EROFS", `${service}: ${dir} must be on the read-only root`);
  }
});

test("the probes of every Deployment answer 200 from its container: /healthz and /readyz", async () => {
  for (const service of names) {
    const c = appContainer(cp.deployments[service]);
    const paths = new Set([c.startupProbe, c.livenessProbe, c.readinessProbe].map((p) => p?.httpGet?.path).filter((p) => p !== undefined));
    assert.deepEqual([...paths].sort(), ["/healthz", "/readyz"], service);
    for (const p of paths) {
      const res = await fetch(`${cp.platform.services[service].url}${p}`, { signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 200, `${service} ${p}`);
    }
  }
});

interface Task {
  id: string;
  status: string;
  dueAt: string;
  seriesId: string | null;
}

test(
  "through the containers: a completed daily task gets its next occurrence, two audit entries and two realtime updates",
  { timeout: 120_000 },
  async () => {
    const p = cp.platform;
    const user = `ct-${randomUUID()}`;
    const token = await p.token(user);
    const tasksUrl = `${p.services["tasks-api"].url}/api/v1/tasks`;
    const realtime = await connectRealtime(`${p.services.realtime.url.replace("http", "ws")}/ws`, token);
    try {
      const created = await api<Task>(tasksUrl, token, {
        body: { title: "container flow", dueAt: "2027-03-13T09:00:00-05:00", timeZone: "America/New_York", recurrence: "FREQ=DAILY" },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const completed = await api<Task>(`${tasksUrl}/${created.body.id}/complete`, token, { method: "POST" });
      assert.equal(completed.status, 200, JSON.stringify(completed.body));
      const next = await eventually("the next occurrence", 45_000, async () => {
        const list = await api<{ items: Task[] }>(`${tasksUrl}?limit=100`, token);
        return list.body.items.find((t) => t.seriesId === created.body.id);
      });
      assert.equal(next.dueAt, "2027-03-14T13:00:00.000Z");
      assert.equal(next.status, "open");
      const actions = await eventually("both audit entries", 45_000, async () => {
        const audit = await api<{ items: { action: string }[] }>(`${p.services.audit.url}/api/v1/audit?taskId=${created.body.id}`, token);
        return audit.body.items.length >= 2 ? audit.body.items.map((e) => e.action).sort() : undefined;
      });
      assert.deepEqual(actions, ["completed", "created"]);
      const pushed = await eventually("both realtime updates", 45_000, async () => {
        const mine = realtime.events.filter((e) => e.taskId === created.body.id).map((e) => e.topic);
        return mine.includes(topics.taskCreated.name) && mine.includes(topics.taskCompleted.name) ? mine : undefined;
      });
      assert.ok(pushed.length >= 2);
    } finally {
      realtime.close();
    }
  },
);

test("through the containers: a reminder due in 2 s is mailed once by the notifications container", { timeout: 120_000 }, async () => {
  const p = cp.platform;
  const user = `ct-rem-${randomUUID().slice(0, 8)}`;
  const token = await p.token(user);
  const prefs = await api(`${p.services.notifications.url}/api/v1/notifications/preferences`, token, {
    method: "PATCH",
    body: { email: `${user}@example.test` },
  });
  assert.equal(prefs.status, 200, JSON.stringify(prefs.body));
  const title = `container-reminder-${randomUUID().slice(0, 8)}`;
  const created = await api(`${p.services["tasks-api"].url}/api/v1/tasks`, token, {
    body: { title, dueAt: new Date(Date.now() + 62_000).toISOString(), timeZone: "UTC", reminders: [1] },
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const mail = await eventually("the reminder email", 60_000, async () => p.smtp.messages.find((m) => m.raw.includes(title)));
  assert.deepEqual(mail.to, [`${user}@example.test`]);
});

test("after the flows no container has written to its filesystem outside its tmpfs (podman diff as an idle container's)", async () => {
  for (const service of names) {
    // The engine itself changes a container's /etc (mount points for hosts, hostname, resolv.conf): an idle
    // container of the same image, started read-only too, shows what is not the app's doing.
    const idle = `${cp.containerName(service)}-idle`;
    const ref = appContainer(cp.deployments[service]).image;
    await podmanOk([
      "run",
      "-d",
      "--rm",
      "--name",
      idle,
      "--network",
      "host",
      "--read-only",
      "--read-only-tmpfs=false",
      "--entrypoint",
      "sleep",
      ref,
      "60",
    ]);
    try {
      const engine = new Set((await podmanOk(["diff", idle])).split("\n").filter(Boolean));
      const app = (await podmanOk(["diff", cp.containerName(service)])).split("\n").filter(Boolean);
      // The engine also makes the mount points of the token files (and their directories).
      // /var/run is a link to /run in the image, so the engine's mount points show under /run.
      const mountPoints = (l: string) =>
        secretTargets(service).some((t) => `${t.replace(/^\/var\/run\//, "/run/")}/`.startsWith(`${l.slice(2)}/`));
      assert.deepEqual(
        app.filter((l) => !engine.has(l) && !mountPoints(l)),
        [],
        `${service}: changes beyond the engine's own (${[...engine].join(", ") || "none"})`,
      );
    } finally {
      await podman(["rm", "-f", "-t", "0", idle]);
    }
  }
});

/**
 * A POST to the app whose JSON body is held back, so the request is in flight (Express's body parser waits
 * for it; the request carries the app token, as the sidecar's do, or it would be refused before the body);
 * `finish()` sends the rest and resolves with the response's status line, or the socket error.
 */
/** A request held open at the app; `appToken` (Dapr's app token) is sent when the service has a sidecar. */
async function heldRequest(port: number, appToken: string | undefined): Promise<{ finish(): Promise<string> }> {
  const body = '{"drain":"probe"}';
  const socket = net.connect(port, "127.0.0.1");
  let response = "";
  const done = new Promise<string>((resolve) => {
    socket.on("data", (d: Buffer) => (response += d.toString()));
    socket.on("close", () => resolve(response.split("\r\n")[0] || "closed without a response"));
    socket.on("error", (e: NodeJS.ErrnoException) => resolve(`error ${e.code ?? e.message}`));
  });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(
    `POST /drain-probe HTTP/1.1\r\nHost: 127.0.0.1\r\n${appToken ? `dapr-api-token: ${appToken}\r\n` : ""}Content-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`,
  );
  await new Promise((r) => setTimeout(r, 300));
  return {
    finish: () => {
      socket.end(body.slice(5));
      return done;
    },
  };
}

/** Whether a new TCP connection to the port is refused. */
const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(false);
    });
    s.once("error", (e: NodeJS.ErrnoException) => resolve(e.code === "ECONNREFUSED"));
  });

test(
  "SIGTERM: each container answers the request in flight, refuses new connections, logs its shutdown and exits 0 within terminationGracePeriodSeconds",
  { timeout: 300_000 },
  async (t) => {
    const p = cp.platform;
    // A realtime client is closed with 1001 (going away), not cut.
    const token = await p.token(`ct-term-${randomUUID().slice(0, 8)}`);
    const ws = new WebSocket(`${p.services.realtime.url.replace("http", "ws")}/ws`, ["tasks.v1", `bearer.${token}`]);
    const closed = new Promise<number>((resolve) => ws.once("close", (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.on("message", (raw) => (JSON.parse(String(raw)) as { type: string }).type === "ready" && resolve());
      ws.once("error", reject);
    });
    for (const service of names) {
      const grace = cp.deployments[service].spec.template.spec.terminationGracePeriodSeconds ?? 30;
      const { app, appPort, daprAppToken } = p.services[service];
      const held = await heldRequest(appPort, daprAppToken);
      const t0 = Date.now();
      await podmanOk(["kill", "--signal", "TERM", cp.containerName(service)]);
      // Draining: the listener is closed (new connections refused) while the held request is still open.
      await eventually(`${service} to stop accepting connections`, 10_000, async () => ((await refused(appPort)) ? true : undefined));
      assert.ok(app.running, `${service} exited before its in-flight request was answered`);
      const status = await held.finish();
      await eventually(`${service} to exit`, (grace + 5) * 1000, async () => (app.running ? undefined : true));
      const seconds = (Date.now() - t0) / 1000;
      t.diagnostic(`${service}: the request in flight got "${status}"; exited ${app.exitCode} ${seconds.toFixed(1)} s after SIGTERM`);
      // The APIs have no such route (404); the web app's static server serves GET and HEAD only (405).
      const answered = service === "web" ? /^HTTP\/1\.1 405 / : /^HTTP\/1\.1 404 /;
      assert.match(status, answered, `${service}: the request in flight at SIGTERM was not answered`);
      assert.equal(app.exitCode, 0, `${service}: exit code`);
      assert.ok(seconds < grace, `${service}: ${seconds} s ≥ terminationGracePeriodSeconds ${grace}`);
      const logText = readFileSync(app.spec.logFile, "utf8");
      assert.match(logText, /"msg":"shutting down"/, `${service}: no shutdown log line`);
      assert.match(logText, /"msg":"shutdown complete"/, `${service}: shutdown did not complete`);
    }
    assert.equal(await closed, 1001, "realtime closed its WebSocket with 1001 (going away)");
  },
);
