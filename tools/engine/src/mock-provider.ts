/**
 * A resource provider for the real Pulumi engine that answers from the stacks' mock tables instead of a
 * cloud: the gRPC ResourceProvider service of Pulumi's protocol, served with the SDK's generated stubs.
 * Unlike `@pulumi/pulumi/provider`'s main(), it tells the engine it supports previews and is told
 * whether a Create is one, so computed outputs are unknown in a preview and realistic after create.
 *   Check     the inputs as given
 *   Diff      old vs new inputs; replacement from stacks/src/offline/replacements.ts
 *   Create    inputs + the mock table's computed outputs (UNKNOWN in a preview), id `<name>-id`
 *   Update    the same over the new inputs (a preview keeps computed outputs that would not change);
 *             Read returns what it is given; Delete succeeds
 *   Invoke    the mock table's answer (what the unit-test mocks answer)
 *   Construct a multi-language component (kubernetes:yaml/v2:ConfigGroup, the CRD step): registered with the
 *             engine as an empty component (its inputs kept), as the unit-test mocks record it
 */
import * as grpc from "@grpc/grpc-js";
// The generated protobuf modules are CommonJS that Node cannot list named exports of: default imports.
import emptyproto from "google-protobuf/google/protobuf/empty_pb.js";
import structproto from "google-protobuf/google/protobuf/struct_pb.js";
import plugproto from "@pulumi/pulumi/proto/plugin_pb.js";
import provproto from "@pulumi/pulumi/proto/provider_pb.js";
import resrpc from "@pulumi/pulumi/proto/resource_grpc_pb.js";
import resproto from "@pulumi/pulumi/proto/resource_pb.js";
import { mockInvoke, mockResourceId, mockResourceOutputs } from "@tasks/stacks/offline/mock-state";
import { deepEqual, formatPath, propertyChanges } from "@tasks/stacks/offline/property-diff";
import { replacingChanges } from "@tasks/stacks/offline/replacements";
import { composeOutputs, containsUnknown, toStructJson, unwrapSecrets, type Props } from "./property-values.js";

/** One line per request, for a log file; never a property value (they may be secrets). */
export type ProviderLog = (line: string) => void;

export interface MockProviderOptions {
  /** Package name: azure-native, kubernetes… */
  readonly pkg: string;
  /** The version the program's SDK asks for, reported by GetPluginInfo. */
  readonly version: string;
  readonly log?: ProviderLog;
}

type Callback<T> = (err: grpc.ServiceError | null, value?: T) => void;
type Handler<Req, Res> = (call: { request: Req }, callback: Callback<Res>) => void;

const struct = (v: Props): structproto.Struct =>
  structproto.Struct.fromJavaScript(toStructJson(v) as Record<string, structproto.JavaScriptValue>);
const props = (s: structproto.Struct | undefined): Props => (s?.toJavaScript() ?? {}) as Props;
const unimplemented = (what: string): grpc.ServiceError =>
  Object.assign(new Error(`${what} is not implemented by the mock provider`), {
    code: grpc.status.UNIMPLEMENTED,
    details: what,
    metadata: new grpc.Metadata(),
  });

/** `urn:pulumi:stack::project::parent$type::name` → type and name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  return { type: (parts[2] ?? "").split("$").pop() ?? "", name: parts.slice(3).join("::") };
}

/** Wraps a handler so that a thrown error becomes a gRPC error naming the method instead of a crash. */
function handle<Req, Res>(method: string, log: ProviderLog, fn: (req: Req) => Res): Handler<Req, Res> {
  return (call, callback) => {
    try {
      callback(null, fn(call.request));
    } catch (e) {
      const message = `${method}: ${e instanceof Error ? e.message : String(e)}`;
      log(`ERROR ${message}`);
      callback(Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata: new grpc.Metadata() }));
    }
  };
}

/** The state a mocked provider returns for `inputs` (as received), the same as the unit-test mocks compute. */
export function resourceOutputs(urn: string, inputs: Props, preview: boolean, olds?: Props): Props {
  const { type, name } = parseUrn(urn);
  const plain = unwrapSecrets(inputs) as Props;
  let full: Props;
  try {
    full = mockResourceOutputs({ type, name, inputs: plain, custom: true });
  } catch (e) {
    // A table entry that cannot compute from unknown inputs: in a preview, its outputs are simply unknown.
    if (preview && containsUnknown(plain)) return inputs;
    throw e;
  }
  return composeOutputs(full, plain, inputs, preview, olds);
}

const K = provproto.PropertyDiff.Kind;
const kindOf = { add: [K.ADD, K.ADD_REPLACE], delete: [K.DELETE, K.DELETE_REPLACE], update: [K.UPDATE, K.UPDATE_REPLACE] } as const;

/** Diff of old and new inputs: changes, the top-level properties that force a replacement, a detailed diff. */
export function diffInputs(urn: string, oldInputs: Props, newInputs: Props): provproto.DiffResponse {
  const { type } = parseUrn(urn);
  const olds = unwrapSecrets(oldInputs);
  const news = unwrapSecrets(newInputs);
  const resp = new provproto.DiffResponse();
  if (deepEqual(olds, news)) return resp.setChanges(provproto.DiffResponse.DiffChanges.DIFF_NONE);
  const replacing = new Set(replacingChanges(type, olds, news).map((r) => formatPath(r.change.path)));
  const detailed = resp.getDetaileddiffMap();
  for (const c of propertyChanges(olds, news)) {
    const path = formatPath(c.path);
    detailed.set(path, new provproto.PropertyDiff().setKind(kindOf[c.kind][replacing.has(path) ? 1 : 0]).setInputdiff(true));
  }
  const replaces = [...new Set([...replacing].map((p) => p.split(/[.[]/)[0]!))];
  return resp.setChanges(provproto.DiffResponse.DiffChanges.DIFF_SOME).setReplacesList(replaces).setHasdetaileddiff(true);
}

/** The plugin-level methods: identity, configuration, and the ones the stacks never need. */
function pluginMethods(opts: MockProviderOptions, log: ProviderLog): grpc.UntypedServiceImplementation {
  return {
    handshake: (_c: unknown, cb: Callback<never>) => cb(unimplemented("Handshake")),
    parameterize: (_c: unknown, cb: Callback<never>) => cb(unimplemented("Parameterize")),
    call: (_c: unknown, cb: Callback<never>) => cb(unimplemented("Call")),
    getMapping: (_c: unknown, cb: Callback<never>) => cb(unimplemented("GetMapping")),
    getMappings: (_c: unknown, cb: Callback<never>) => cb(unimplemented("GetMappings")),
    list: (call: grpc.ServerWritableStream<unknown, unknown>) => call.destroy(unimplemented("List")),
    getPluginInfo: handle(`${opts.pkg} GetPluginInfo`, log, () => new plugproto.PluginInfo().setVersion(opts.version)),
    getSchema: handle(`${opts.pkg} GetSchema`, log, () =>
      new provproto.GetSchemaResponse().setSchema(JSON.stringify({ name: opts.pkg, version: opts.version })),
    ),
    attach: handle("Attach", log, () => new emptyproto.Empty()),
    cancel: handle("Cancel", log, () => new emptyproto.Empty()),
    configure: handle(`${opts.pkg} Configure`, log, () => {
      log(`${opts.pkg} Configure`);
      // Secrets arrive marked (and are kept so in outputs); resources arrive as ids; previews call Create.
      return new provproto.ConfigureResponse().setAcceptsecrets(true).setAcceptresources(false).setSupportspreview(true);
    }),
    checkConfig: handle(`${opts.pkg} CheckConfig`, log, (req: provproto.CheckRequest) =>
      new provproto.CheckResponse().setInputs(req.getNews()),
    ),
    diffConfig: handle(`${opts.pkg} DiffConfig`, log, (req: provproto.DiffRequest) => {
      const changed = !deepEqual(unwrapSecrets(props(req.getOldInputs() ?? req.getOlds())), unwrapSecrets(props(req.getNews())));
      return new provproto.DiffResponse().setChanges(
        changed ? provproto.DiffResponse.DiffChanges.DIFF_SOME : provproto.DiffResponse.DiffChanges.DIFF_NONE,
      );
    }),
  };
}

/** The resource methods, answered from the mock tables. */
function resourceMethods(opts: MockProviderOptions, log: ProviderLog): grpc.UntypedServiceImplementation {
  const say = (m: string): void => log(`${opts.pkg} ${m}`);
  return {
    check: handle(`${opts.pkg} Check`, log, (req: provproto.CheckRequest) => new provproto.CheckResponse().setInputs(req.getNews())),
    diff: handle(`${opts.pkg} Diff`, log, (req: provproto.DiffRequest) => {
      const resp = diffInputs(req.getUrn(), props(req.getOldInputs() ?? req.getOlds()), props(req.getNews()));
      say(
        `Diff ${req.getUrn()} ${resp.getChanges() === provproto.DiffResponse.DiffChanges.DIFF_SOME ? `changes, replaces [${resp.getReplacesList().join(",")}]` : "none"}`,
      );
      return resp;
    }),
    create: handle(`${opts.pkg} Create`, log, (req: provproto.CreateRequest) => {
      const preview = req.getPreview();
      say(`Create${preview ? " (preview)" : ""} ${req.getUrn()}`);
      const outs = resourceOutputs(req.getUrn(), props(req.getProperties()), preview);
      return new provproto.CreateResponse().setId(preview ? "" : mockResourceId(parseUrn(req.getUrn()).name)).setProperties(struct(outs));
    }),
    update: handle(`${opts.pkg} Update`, log, (req: provproto.UpdateRequest) => {
      say(`Update${req.getPreview() ? " (preview)" : ""} ${req.getUrn()}`);
      const outs = resourceOutputs(req.getUrn(), props(req.getNews()), req.getPreview(), props(req.getOlds()));
      return new provproto.UpdateResponse().setProperties(struct(outs));
    }),
    read: handle(`${opts.pkg} Read`, log, (req: provproto.ReadRequest) => {
      say(`Read ${req.getUrn()}`);
      const resp = new provproto.ReadResponse().setId(req.getId()).setProperties(req.getProperties());
      return req.getInputs() ? resp.setInputs(req.getInputs()) : resp;
    }),
    delete: handle(`${opts.pkg} Delete`, log, (req: provproto.DeleteRequest) => {
      say(`Delete ${req.getUrn()}`);
      return new emptyproto.Empty();
    }),
    invoke: handle(`${opts.pkg} Invoke`, log, (req: provproto.InvokeRequest) => {
      say(`Invoke ${req.getTok()}`);
      const result = mockInvoke({ token: req.getTok(), inputs: unwrapSecrets(props(req.getArgs())) as Props, provider: "" });
      return new provproto.InvokeResponse().setReturn(struct(result));
    }),
  };
}

/**
 * Construct: registers the component with the engine's resource monitor (its parent, dependencies and inputs as
 * given), with no children and no outputs. The multi-language components the stacks use (the CRD step's
 * ConfigGroups) create only objects the kubernetes tier checks from their sources, so nothing below them is mocked.
 */
export function constructComponent(opts: MockProviderOptions, log: ProviderLog) {
  return (call: { request: provproto.ConstructRequest }, callback: Callback<provproto.ConstructResponse>): void => {
    const req = call.request;
    const fail = (e: unknown) => {
      const message = `${opts.pkg} Construct ${req.getType()} ${req.getName()}: ${e instanceof Error ? e.message : String(e)}`;
      log(`ERROR ${message}`);
      callback(Object.assign(new Error(message), { code: grpc.status.UNKNOWN, details: message, metadata: new grpc.Metadata() }));
    };
    log(`${opts.pkg} Construct ${req.getType()} ${req.getName()}`);
    const monitor = new resrpc.ResourceMonitorClient(req.getMonitorendpoint(), grpc.credentials.createInsecure());
    const register = new resproto.RegisterResourceRequest()
      .setType(req.getType())
      .setName(req.getName())
      .setParent(req.getParent())
      .setCustom(false)
      .setObject(req.getInputs() ?? new structproto.Struct())
      .setDependenciesList(req.getDependenciesList())
      .setProtect(req.getProtect() ?? false)
      .setAcceptsecrets(true)
      .setAcceptresources(false);
    monitor.registerResource(register, (err: grpc.ServiceError | null, res?: resproto.RegisterResourceResponse) => {
      if (err || !res) return (monitor.close(), fail(err ?? "no response"));
      const urn = res.getUrn();
      const outputs = new resproto.RegisterResourceOutputsRequest().setUrn(urn).setOutputs(new structproto.Struct());
      monitor.registerResourceOutputs(outputs, (err2: grpc.ServiceError | null) => {
        monitor.close();
        if (err2) return fail(err2);
        callback(null, new provproto.ConstructResponse().setUrn(urn).setState(new structproto.Struct()));
      });
    });
  };
}

/** The ResourceProvider service of one package, for grpc.Server#addService. */
export function mockProviderService(opts: MockProviderOptions): grpc.UntypedServiceImplementation {
  const log = opts.log ?? (() => undefined);
  return { ...pluginMethods(opts, log), ...resourceMethods(opts, log), construct: constructComponent(opts, log) };
}
