/**
 * Loads the pack the way `pulumi preview --policy-pack policies` does: the CLI's
 * pulumi-analyzer-policy shim runs @pulumi/pulumi/cmd/run-policy-pack with the engine address and
 * "." from the pack directory; run-policy-pack require()s package.json "main" (pack.cjs), which loads
 * the TypeScript pack through tsx; the pack prints the port of its gRPC analyzer. The test then
 * talks to it over gRPC like the engine: GetAnalyzerInfo, ConfigureStack, Analyze, AnalyzeStack.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { policies } from "../../src/index.js";
import { deployment } from "../fixtures/kubernetes.js";
import { edit } from "../lib/json.js";

const packDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Resolve the gRPC stubs from the pack's own dependencies, as the analyzer does.
const requireFromPack = createRequire(path.join(packDir, "package.json"));
const requireFromPulumi = createRequire(requireFromPack.resolve("@pulumi/pulumi/package.json"));

type Msg = Record<string, (...args: unknown[]) => unknown>;
type Ctor = new () => Msg;
const grpc = requireFromPulumi("@grpc/grpc-js") as {
  credentials: { createInsecure(): unknown };
  makeGenericClientConstructor(
    service: unknown,
    name: string,
  ): new (
    address: string,
    creds: unknown,
  ) => Record<string, (req: unknown, cb: (err: Error | null, res: Msg) => void) => void> & { close(): void };
};
const services = requireFromPulumi("@pulumi/pulumi/proto/analyzer_grpc_pb.js") as { AnalyzerService: unknown };
const proto = requireFromPulumi("@pulumi/pulumi/proto/analyzer_pb.js") as Record<string, Ctor> & {
  EnforcementLevel: Record<string, number>;
};
const { Struct } = requireFromPulumi("google-protobuf/google/protobuf/struct_pb.js") as { Struct: { fromJavaScript(v: unknown): unknown } };
const { Empty } = requireFromPulumi("google-protobuf/google/protobuf/empty_pb.js") as { Empty: Ctor };

let child: ChildProcess;
let client: ReturnType<typeof connect>;

function connect(port: number) {
  const Client = grpc.makeGenericClientConstructor(services.AnalyzerService, "Analyzer");
  return new Client(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
}

const call = (method: string, req: unknown): Promise<Msg> =>
  new Promise((resolve, reject) => client[method]!(req, (err, res) => (err ? reject(err) : resolve(res))));

function resourceRequest(Kind: "AnalyzeRequest" | "AnalyzerResource", stack: string, type: string, name: string, props: unknown): Msg {
  const req = new proto[Kind]!();
  req.setUrn!(`urn:pulumi:${stack}::tasks-platform::${type}::${name}`);
  req.setType!(type);
  req.setName!(name);
  req.setProperties!(Struct.fromJavaScript(props));
  req.setOptions!(new proto.AnalyzerResourceOptions!());
  return req;
}

const diagnostics = (res: Msg) =>
  (res.getDiagnosticsList!() as Msg[]).map((d) => ({
    policy: d.getPolicyname!() as string,
    message: d.getMessage!() as string,
    level: d.getEnforcementlevel!() as number,
  }));

describe("the pack as the Pulumi CLI loads it", () => {
  before(async () => {
    const runPolicyPack = requireFromPack.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    child = spawn(process.execPath, [runPolicyPack, "127.0.0.1:1", "."], { cwd: packDir, stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.on("exit", (code) => reject(new Error(`the pack exited with ${code} before serving:\n${stderr}`)));
    });
    client = connect(port);
  });

  after(() => {
    client?.close();
    child?.kill();
  });

  test("serves every policy with its level, severity and framework", async () => {
    const info = await call("getAnalyzerInfo", new Empty());
    assert.equal(info.getName!(), "tasks-platform");
    assert.equal(info.getVersion!(), "0.1.0");
    const served = (info.getPoliciesList!() as Msg[]).map((p) => p.getName!() as string);
    assert.deepEqual(
      served,
      policies.map((p) => p.name),
    );
    const nonRoot = (info.getPoliciesList!() as Msg[]).find((p) => p.getName!() === "kubernetes-run-as-non-root")!;
    assert.equal(nonRoot.getEnforcementlevel!(), proto.EnforcementLevel.MANDATORY);
    assert.equal((nonRoot.getFramework!() as Msg).getReference!(), "restricted/Running as Non-root");
    assert.ok((nonRoot.getTagsList!() as string[]).includes("source:checkov:CKV_K8S_23"));
  });

  test("Analyze reports a privileged container as a mandatory violation", async () => {
    const stackReq = new proto.AnalyzerStackConfigureRequest!();
    stackReq.setStack!("dev");
    (stackReq.getTagsMap!() as { set(k: string, v: string): void }).set("pulumi:project", "tasks-platform");
    await call("configureStack", stackReq);
    const d = deployment();
    const props = edit(d.props, ["spec.template.spec.containers.0.securityContext.privileged", true]);
    const res = await call("analyze", resourceRequest("AnalyzeRequest", "dev", d.type, d.name, props));
    // The analyzer prefixes each message with the policy's description, as the CLI shows it.
    const policy = policies.find((p) => p.name === "kubernetes-no-privileged-containers")!;
    assert.deepEqual(diagnostics(res), [
      {
        policy: policy.name,
        message: `${policy.description}\ncontainer "app" must not run privileged (securityContext.privileged: true).`,
        level: proto.EnforcementLevel.MANDATORY,
      },
    ]);
  });

  test("AnalyzeStack applies the stack's suppressions (policies/suppressions/local.yaml) inside the real pack", async () => {
    const type = "kubernetes:apps/v1:StatefulSet";
    const upstream = edit(deployment().props, ["spec.template.spec.containers.0.image", "postgres:16.6-bookworm"]);
    const statefulSet = (name: string): Msg => {
      const r = resourceRequest("AnalyzerResource", "local", type, name, upstream);
      r.setUrn!(`urn:pulumi:local::tasks-platform::tasks:local:Postgres$${type}::${name}`);
      return r;
    };
    const req = new proto.AnalyzeStackRequest!();
    req.setResourcesList!([statefulSet("postgres-statefulset"), statefulSet("another-statefulset")]);
    const found = diagnostics(await call("analyzeStack", req)).filter((x) => x.policy === "kubernetes-image-registry");
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0]!.message, /pulls "postgres:16\.6-bookworm" from registry "docker\.io"/);
    assert.equal(found[0]!.level, proto.EnforcementLevel.MANDATORY);
    const suppressionProblems = diagnostics(await call("analyzeStack", req)).filter((x) => x.policy === "suppression-valid");
    assert.deepEqual(suppressionProblems, [], "local.yaml is valid and in force");
  });

  test("AnalyzeStack runs the stack policies with the stack from the URN", async () => {
    const d = deployment();
    const req = new proto.AnalyzeStackRequest!();
    req.setResourcesList!([resourceRequest("AnalyzerResource", "prod", d.type, d.name, d.props)]);
    const res = await call("analyzeStack", req);
    const policy = policies.find((p) => p.name === "kubernetes-pod-disruption-budget-prod")!;
    const found = diagnostics(res).filter((x) => x.policy === policy.name);
    assert.deepEqual(
      found.map((x) => x.message),
      [`${policy.description}\nDeployment "tasks/tasks-api" serves public traffic and has no PodDisruptionBudget in prod.`],
    );
  });
});
