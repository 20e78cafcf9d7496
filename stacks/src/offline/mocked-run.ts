import * as pulumi from "@pulumi/pulumi";
import type { MockCallArgs, MockResourceArgs } from "@pulumi/pulumi/runtime/index.js";
import { offlineEnvVar } from "../config/examples.js";
import { loadStackConfig, projectName, type StackName } from "./stack-config.js";
import { mockInvoke, mockResourceId, mockResourceOutputs } from "../offline/mock-state.js";
import { engineUrn } from "../offline/urn.js";

/** One resource as the program registered it under mocks. */
export interface RecordedResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** URN of the parent resource, if any (the stack itself is omitted). */
  readonly parent?: string;
  readonly provider?: string;
  readonly inputs: Record<string, unknown>;
  readonly state: Record<string, unknown>;
  readonly protect: boolean;
  /** Deleting the resource only drops it from the state (stacks/src/protection.ts). */
  readonly retainOnDelete: boolean;
  readonly ignoreChanges: string[];
  readonly dependsOn: string[];
  readonly additionalSecretOutputs: string[];
}

export interface RecordedCall {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

export interface MockedRun {
  readonly stack: StackName;
  readonly resources: RecordedResource[];
  readonly calls: RecordedCall[];
  /** Stack outputs, resolved; secret outputs are wrapped as `{ secret: true, value }`. */
  readonly outputs: Record<string, unknown>;
  /** Operator secrets the stack file does not hold yet (`project:key`); this run used a placeholder for each. */
  readonly unsetSecrets: string[];
  /** Documentation stand-ins this run used that a real run rejects (`key: value (why)`). */
  readonly exampleValues: string[];
}

export interface MockedRunOptions {
  /** Config values set over the stack file's, as `key` (project namespace implied) or `ns:key`. */
  readonly configOverrides?: Record<string, string>;
  /** Module that is the Pulumi program; defaults to the stacks entry point. */
  readonly program?: string;
  /** Run as a preview (unknown outputs stay unknown). @default false */
  readonly preview?: boolean;
}

/** The type of the root resource every program runs in (`pulumi:pulumi:Stack`); not recorded. */
const rootStackType = "pulumi:pulumi:Stack";

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getIgnorechangesList(): string[];
  getDependenciesList(): string[];
  getAdditionalsecretoutputsList(): string[];
}
interface RegisterResponse {
  getUrn(): string;
}
type Callback = (err: Error | null, res?: RegisterResponse) => void;
interface MonitorLike {
  registerResource(req: RegisterRequest, cb: Callback): void;
  newUrn(parent: string, type: string, name: string): string;
}

/**
 * Runs a stack's Pulumi program under `pulumi.runtime.setMocks`, with that stack's config, and records
 * every resource, parent and invoke. A process can run one stack: Pulumi's config and state are global.
 */
export async function runStackMocked(stack: StackName, options: MockedRunOptions = {}): Promise<MockedRun> {
  const { config, secretKeys, unsetSecrets, exampleValues } = loadStackConfig(stack);
  // The program allows documentation values only under the offline tools (config/examples.ts).
  process.env[offlineEnvVar] = "1";
  const overridden = new Set<string>();
  for (const [k, v] of Object.entries(options.configOverrides ?? {})) {
    const key = k.includes(":") ? k : `${projectName}:${k}`;
    config[key] = v;
    overridden.add(key);
  }

  const byUrnState = new Map<string, Record<string, unknown>>();
  const pending: { args: MockResourceArgs; state: Record<string, unknown> }[] = [];
  const calls: RecordedCall[] = [];

  await pulumi.runtime.setMocks(
    {
      newResource(args: MockResourceArgs) {
        const state = mockResourceOutputs(args);
        pending.push({ args, state });
        return { id: args.custom ? mockResourceId(args.name) : undefined, state };
      },
      call(args: MockCallArgs) {
        calls.push({ token: args.token, inputs: args.inputs as Record<string, unknown> });
        return mockInvoke(args);
      },
    },
    projectName,
    stack,
    options.preview ?? false,
  );
  pulumi.runtime.setAllConfig(config, secretKeys);

  const recorded: RecordedResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  monitor.newUrn = (parent, type, name) => engineUrn(stack, projectName, parent || undefined, type, name);
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    original(req, (err, res) => {
      if (!err && res && req.getType() !== rootStackType) {
        const urn = res.getUrn();
        const match = pending.find((p) => p.args.name === req.getName() && p.args.type === req.getType());
        if (match) pending.splice(pending.indexOf(match), 1);
        const parent = req.getParent();
        recorded.push({
          urn,
          type: req.getType(),
          name: req.getName(),
          custom: req.getCustom(),
          parent: parent && !parent.includes(rootStackType) ? parent : undefined,
          provider: req.getProvider() || undefined,
          inputs: (match?.args.inputs ?? {}) as Record<string, unknown>,
          state: match?.state ?? {},
          protect: req.getProtect(),
          retainOnDelete: req.getRetainondelete(),
          ignoreChanges: req.getIgnorechangesList(),
          dependsOn: req.getDependenciesList(),
          additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
        });
        byUrnState.set(urn, match?.state ?? {});
      }
      cb(err, res);
    });
  };

  const programPath = options.program ?? new URL("../index.js", import.meta.url).href;
  // Like Pulumi's Node.js runtime: the program runs inside the root Stack resource (so stack
  // transformations apply), and a default-exported function's result is the stack's outputs.
  let exported: Record<string, unknown> = {};
  await pulumi.runtime.runInPulumiStack(async () => {
    const program = (await import(programPath)) as Record<string, unknown>;
    exported =
      typeof program.default === "function"
        ? ((await (program.default as () => unknown)()) as Record<string, unknown>)
        : Object.fromEntries(Object.entries(program).filter(([k]) => k !== "default"));
    return exported;
  });
  const outputs: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(exported ?? {})) outputs[key] = await resolveOutput(value);
  await (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs?.();
  return {
    stack,
    resources: recorded,
    calls,
    outputs,
    unsetSecrets: unsetSecrets.filter((k) => !overridden.has(k)),
    exampleValues: exampleValues.filter(
      (v) => ![...overridden].some((k) => v.startsWith(`${k}:`) || v.startsWith(`${k}[`) || v.startsWith(`${k}.`)),
    ),
  };
}

async function resolveOutput(value: unknown): Promise<unknown> {
  if (pulumi.Output.isInstance(value)) {
    const output = value as pulumi.Output<unknown>;
    const [inner, secret] = await Promise.all([
      new Promise<unknown>((resolve) =>
        output.apply((v) => {
          resolve(v);
          return v;
        }),
      ),
      (output as unknown as { isSecret: Promise<boolean> }).isSecret,
    ]);
    const resolved = await resolveOutput(inner);
    return secret ? { secret: true, value: resolved } : resolved;
  }
  if (Array.isArray(value)) return Promise.all(value.map(resolveOutput));
  if (value !== null && typeof value === "object" && !(value instanceof pulumi.Resource)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = await resolveOutput(v);
    return out;
  }
  return value;
}
