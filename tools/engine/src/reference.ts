/**
 * What the mocked runs say about a stack, through their commands (`npm run plan -- --json` and
 * `npm run policy -- --json`): the resources by URN, the stack outputs (secrets masked) and the policy
 * pack's violations. The real-engine runs are checked against these.
 */
import { spawn } from "node:child_process";

export interface MockedViolation {
  readonly policy: string;
  readonly urn: string | undefined;
  readonly level: string;
  readonly message: string;
}

export interface MockedReference {
  readonly stack: string;
  /** URN → type. */
  readonly resources: ReadonlyMap<string, string>;
  readonly outputs: Record<string, unknown>;
  readonly violations: MockedViolation[];
}

function npmJson(repoRoot: string, args: readonly string[], okCodes: readonly number[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", ...args], { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      if (!okCodes.includes(code ?? 1)) reject(new Error(`npm run ${args.join(" ")} exited with ${code}:\n${err.trim()}`));
      else {
        try {
          resolve(JSON.parse(out));
        } catch (e) {
          reject(new Error(`npm run ${args.join(" ")} printed no JSON: ${(e as Error).message}`, { cause: e }));
        }
      }
    });
  });
}

interface PlanJson {
  resources: { urn: string; type: string }[];
  outputs: Record<string, unknown>;
}
interface PolicyJson {
  violations: MockedViolation[];
}

export async function mockedReference(repoRoot: string, stack: string): Promise<MockedReference> {
  const [plan, policy] = (await Promise.all([
    npmJson(repoRoot, ["plan", "--", "--stack", stack, "--json"], [0]),
    // Exit code 1 means mandatory violations: still a report to compare.
    npmJson(repoRoot, ["policy", "--", "--stack", stack, "--json"], [0, 1]),
  ])) as [PlanJson, PolicyJson];
  return {
    stack,
    resources: new Map(plan.resources.map((r) => [r.urn, r.type])),
    outputs: plan.outputs,
    violations: policy.violations.map(({ policy: p, urn, level, message }) => ({ policy: p, urn: urn ?? undefined, level, message })),
  };
}
