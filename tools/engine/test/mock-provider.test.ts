import assert from "node:assert/strict";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import * as grpc from "@grpc/grpc-js";
import structproto from "google-protobuf/google/protobuf/struct_pb.js";
import provrpc from "@pulumi/pulumi/proto/provider_grpc_pb.js";
import provproto from "@pulumi/pulumi/proto/provider_pb.js";
import { mockInvoke, mockResourceOutputs } from "@tasks/stacks/offline/mock-state";
import { startProviderServers, type ProviderServers } from "../src/provider-servers.js";
import { SECRET_SIG, SIG, UNKNOWN } from "../src/property-values.js";

/** The mock providers as the engine sees them: over gRPC, one server per package. */

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
type Obj = Record<string, unknown>;
const struct = (v: Obj): structproto.Struct => structproto.Struct.fromJavaScript(v as Record<string, structproto.JavaScriptValue>);
const urn = (type: string, name: string): string => `urn:pulumi:prod::tasks-platform::tasks:azure:AksCluster$${type}::${name}`;

let servers: ProviderServers;
const clients: Record<string, provrpc.ResourceProviderClient> = {};
const call = <Req, Res>(pkg: string, method: string, req: Req): Promise<Res> =>
  new Promise((resolve, reject) =>
    (clients[pkg] as unknown as Record<string, (r: Req, cb: (e: grpc.ServiceError | null, res: Res) => void) => void>)[method]!.call(
      clients[pkg],
      req,
      (e, res) => (e ? reject(e) : resolve(res)),
    ),
  );

before(async () => {
  servers = await startProviderServers(repo);
  for (const [pkg, port] of Object.entries(servers.ports))
    clients[pkg] = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});
after(async () => {
  for (const c of Object.values(clients)) c.close();
  await servers.close();
});

const aksInputs = { resourceName: "tasks-prod-aks", resourceGroupName: "rg", oidcIssuerProfile: { enabled: true }, location: "westeurope" };

describe("mock provider servers", () => {
  it("attach to every provider package of the stacks, reporting the SDK's version", async () => {
    assert.deepEqual(Object.keys(servers.ports).sort(), [
      "azure-native",
      "azuread",
      "docker-build",
      "kafka",
      "kubernetes",
      "random",
      "time",
    ]);
    assert.match(servers.debugProviders, /^azure-native:\d+,azuread:\d+,random:\d+,kubernetes:\d+,kafka:\d+,docker-build:\d+,time:\d+$/);
    const info = await call<unknown, { getVersion(): string }>(
      "random",
      "getPluginInfo",
      new (await import("google-protobuf/google/protobuf/empty_pb.js")).default.Empty(),
    );
    assert.equal(info.getVersion(), "4.21.2");
  });

  it("tell the engine they take previews and secrets", async () => {
    const resp = await call<provproto.ConfigureRequest, provproto.ConfigureResponse>(
      "azure-native",
      "configure",
      new provproto.ConfigureRequest(),
    );
    assert.equal(resp.getSupportspreview(), true);
    assert.equal(resp.getAcceptsecrets(), true);
  });

  it("leave computed outputs unknown in a preview (the AKS OIDC issuer URL) and compute them on create like the unit-test mocks", async () => {
    const type = "azure-native:containerservice:ManagedCluster";
    const req = (preview: boolean) =>
      new provproto.CreateRequest().setUrn(urn(type, "aks")).setProperties(struct(aksInputs)).setPreview(preview);
    const previewed = (await call<provproto.CreateRequest, provproto.CreateResponse>("azure-native", "create", req(true)))
      .getProperties()!
      .toJavaScript() as Obj;
    assert.deepEqual(previewed.oidcIssuerProfile, { enabled: true, issuerURL: UNKNOWN });
    assert.equal(previewed.fqdn, UNKNOWN);
    assert.equal(previewed.location, "westeurope");

    const created = await call<provproto.CreateRequest, provproto.CreateResponse>("azure-native", "create", req(false));
    assert.equal(created.getId(), "aks-id");
    assert.deepEqual(created.getProperties()!.toJavaScript(), mockResourceOutputs({ type, name: "aks", inputs: aksInputs, custom: true }));
  });

  it("keep a secret input secret in the outputs", async () => {
    const secret = { [SIG]: SECRET_SIG, value: "s3cret" };
    const resp = await call<provproto.CreateRequest, provproto.CreateResponse>(
      "kubernetes",
      "create",
      new provproto.CreateRequest()
        .setUrn(urn("kubernetes:core/v1:Secret", "s"))
        .setProperties(struct({ stringData: { password: secret } })),
    );
    assert.deepEqual((resp.getProperties()!.toJavaScript() as Obj).stringData, { password: secret });
  });

  it("report a replacement for a property that forces one, with a detailed diff, and no change for equal inputs", async () => {
    const type = "azure-native:containerservice:ManagedCluster";
    const diff = (news: Obj) =>
      call<provproto.DiffRequest, provproto.DiffResponse>(
        "azure-native",
        "diff",
        new provproto.DiffRequest()
          .setUrn(urn(type, "aks"))
          .setOldInputs(struct(aksInputs))
          .setOlds(struct(aksInputs))
          .setNews(struct(news)),
      );
    const replace = await diff({ ...aksInputs, location: "northeurope" });
    assert.equal(replace.getChanges(), provproto.DiffResponse.DiffChanges.DIFF_SOME);
    assert.deepEqual(replace.getReplacesList(), ["location"]);
    assert.equal(replace.getDetaileddiffMap().get("location")?.getKind(), provproto.PropertyDiff.Kind.UPDATE_REPLACE);

    const update = await diff({ ...aksInputs, oidcIssuerProfile: { enabled: false } });
    assert.deepEqual(update.getReplacesList(), []);
    assert.equal(update.getDetaileddiffMap().get("oidcIssuerProfile.enabled")?.getKind(), provproto.PropertyDiff.Kind.UPDATE);

    assert.equal((await diff(aksInputs)).getChanges(), provproto.DiffResponse.DiffChanges.DIFF_NONE);
  });

  it("answer invokes as the unit-test mocks answer them", async () => {
    const args = { resourceGroupName: "rg", resourceName: "tasks-prod-aks" };
    const token = "azure-native:containerservice:listManagedClusterUserCredentials";
    const resp = await call<provproto.InvokeRequest, provproto.InvokeResponse>(
      "azure-native",
      "invoke",
      new provproto.InvokeRequest().setTok(token).setArgs(struct(args)),
    );
    assert.deepEqual(resp.getReturn()!.toJavaScript(), mockInvoke({ token, inputs: args, provider: "" }));
  });

  it("keep a computed output known in an update preview when the new inputs would not change it", async () => {
    const type = "azure-native:managedidentity:UserAssignedIdentity";
    const inputs = { resourceName: "id-a", resourceGroupName: "rg", tags: { a: "1" } };
    const olds = mockResourceOutputs({ type, name: "id", inputs, custom: true });
    const resp = await call<provproto.UpdateRequest, provproto.UpdateResponse>(
      "azure-native",
      "update",
      new provproto.UpdateRequest()
        .setUrn(urn(type, "id"))
        .setOlds(struct(olds))
        .setNews(struct({ ...inputs, tags: { a: "2" } }))
        .setPreview(true),
    );
    const outs = resp.getProperties()!.toJavaScript() as Obj;
    assert.equal(outs.clientId, olds.clientId);
    assert.deepEqual(outs.tags, { a: "2" });
  });
});
