import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ServiceSpec } from "@tasks/catalog";
import { daprdArgs, devServiceEnv, serviceBannerLines, serviceEndpoints } from "../src/dev-services.js";

/** Fixture services, not the catalog's: what the dev platform does must follow from the entry, not the name. */
const base = {
  description: "fixture",
  publishes: [],
  subscribes: [],
  invokes: [],
  dapr: [],
  egress: [],
  scaling: { min: 1, max: 1, targetCpuPercent: 70 },
  resources: { cpuRequest: "10m", memoryRequest: "16Mi", cpuLimit: "100m", memoryLimit: "64Mi" },
} as const;
const spec = (over: Partial<ServiceSpec> & Pick<ServiceSpec, "name" | "port">): ServiceSpec => ({ ...base, publicRoutes: [], ...over });
// Names the catalog does not have: nothing may be keyed by a real service's name.
const mailer = spec({
  name: "mailer" as ServiceSpec["name"],
  port: 4100,
  egress: ["postgres", "smtp"],
  publicRoutes: [{ path: "/api/v1/mail" }],
});
const socket = spec({ name: "socket" as ServiceSpec["name"], port: 4101, publicRoutes: [{ path: "/ws", websocket: true }] });
const worker = spec({ name: "worker" as ServiceSpec["name"], port: 4102, egress: ["broker"] });

describe("dev platform: a service's environment, sidecar and banner come from its catalog entry", () => {
  it("gives mail settings (the SMTP catcher) exactly to services whose egress includes smtp", () => {
    const ports = { app: 5001, daprHttp: 5002 };
    assert.deepEqual(devServiceEnv(mailer, ports, 2525), {
      PORT: "5001",
      HOST: "127.0.0.1",
      DAPR_HTTP_PORT: "5002",
      MIGRATE_ON_START: "false",
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: "2525",
      SMTP_TLS: "none",
      SMTP_AUTH: "false",
      MAIL_FROM: "tasks@localhost",
      VAPID_SUBJECT: "mailto:dev@localhost",
    });
    assert.deepEqual(devServiceEnv(worker, ports, 2525), {
      PORT: "5001",
      HOST: "127.0.0.1",
      DAPR_HTTP_PORT: "5002",
      MIGRATE_ON_START: "false",
    });
    assert.equal(devServiceEnv(worker, ports, 2525, { OUTBOX_POLL_MS: "50", HOST: "::1" }).HOST, "::1");
  });

  it("gives the identity provider's settings exactly to services with a public route (HTTP or WebSocket)", () => {
    const ports = { app: 5001, daprHttp: 5002 };
    const identity = { JWT_ISSUER: "http://127.0.0.1:4100", JWT_AUDIENCE: "api://tasks-platform" };
    assert.equal(devServiceEnv(mailer, ports, 2525, {}, identity).JWT_ISSUER, "http://127.0.0.1:4100");
    assert.equal(devServiceEnv(socket, ports, 2525, {}, identity).JWT_AUDIENCE, "api://tasks-platform");
    assert.equal(devServiceEnv(worker, ports, 2525, {}, identity).JWT_ISSUER, undefined);
  });

  it("runs daprd with the service's app id, ports, Configuration and the scheduler", () => {
    const args = daprdArgs(
      worker,
      { app: 1, daprHttp: 2, daprGrpc: 3, daprInternalGrpc: 4, daprMetrics: 5 },
      { resourcesDir: "/r", configFile: "/c/worker.yaml", schedulerPort: 6 },
    );
    const flag = (name: string) => args[args.indexOf(name) + 1];
    assert.equal(flag("--app-id"), "worker");
    assert.equal(flag("--app-port"), "1");
    assert.equal(flag("--dapr-http-port"), "2");
    assert.equal(flag("--config"), "/c/worker.yaml");
    assert.equal(flag("--resources-path"), "/r");
    assert.equal(flag("--scheduler-host-address"), "127.0.0.1:6");
    assert.equal(args.length % 2, 0, "flags and values pair up");
  });

  it("prints each public route (WebSocket ones as ws://), or the health endpoint of a service without one", () => {
    assert.deepEqual(serviceEndpoints(mailer, "http://127.0.0.1:4100"), ["http://127.0.0.1:4100/api/v1/mail"]);
    assert.deepEqual(serviceEndpoints(socket, "http://127.0.0.1:4101"), ["ws://127.0.0.1:4101/ws"]);
    assert.deepEqual(serviceEndpoints(worker, "http://127.0.0.1:4102"), ["http://127.0.0.1:4102/healthz"]);
    assert.deepEqual(
      serviceBannerLines([
        { spec: mailer, url: "http://127.0.0.1:4100" },
        { spec: worker, url: "http://127.0.0.1:4102" },
      ]),
      // Aligned with the banner's other lines ("  kafka          127.0.0.1:9092").
      ["  mailer         http://127.0.0.1:4100/api/v1/mail", "  worker         http://127.0.0.1:4102/healthz"],
    );
    // A 13-character name still fits the column; a longer one widens it for every line.
    const long = (name: string) => spec({ name: name as ServiceSpec["name"], port: 1 });
    assert.deepEqual(serviceBannerLines([{ spec: long("notifications"), url: "http://h:1" }]), ["  notifications  http://h:1/healthz"]);
    assert.deepEqual(
      serviceBannerLines([
        { spec: long("a-much-longer-name"), url: "http://h:1" },
        { spec: worker, url: "http://h:2" },
      ]),
      ["  a-much-longer-name http://h:1/healthz", "  worker             http://h:2/healthz"],
    );
  });
});
