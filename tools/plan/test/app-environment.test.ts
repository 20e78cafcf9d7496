/**
 * Each stack's notifications Deployment sets an environment the service's own schema accepts (the
 * service refuses to start otherwise). A contract between stacks and apps, so it lives here, above both:
 * the plan renders every stack's manifests (`--render`) and the service's schema reads them.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { envSchema } from "@tasks/notifications/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const out = mkdtempSync(path.join(tmpdir(), "app-environment-"));
after(() => rmSync(out, { recursive: true, force: true }));

/** `npm run plan -- --stack <stack> --render <dir>` in a child (one stack per process); resolves to the dir. */
function render(stack: string): Promise<string> {
  const dir = path.join(out, stack);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "tools/plan/src/plan-cli.ts", "--stack", stack, "--render", dir, "--json"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => (code === 0 ? resolve(dir) : reject(new Error(`plan --stack ${stack} exited ${code}:\n${stderr}`))));
  });
}

interface EnvVar {
  readonly name: string;
  readonly value?: string;
}

for (const stack of ["dev", "prod", "local"]) {
  test(`${stack}: the notifications Deployment's environment satisfies the service's env schema`, async () => {
    const dir = await render(stack);
    const file = readdirSync(path.join(dir, "tasks")).find((f) => f.endsWith("-deployment-notifications.yaml"));
    assert.ok(file, `no notifications Deployment rendered for ${stack}`);
    const deployment = parse(readFileSync(path.join(dir, "tasks", file), "utf8")) as {
      spec: { template: { spec: { containers: { env?: EnvVar[] }[] } } };
    };
    const env = Object.fromEntries((deployment.spec.template.spec.containers[0]?.env ?? []).map((e) => [e.name, String(e.value)]));
    const parsed = envSchema.safeParse(env);
    assert.ok(parsed.success, `notifications env does not satisfy its schema: ${parsed.success ? "" : parsed.error.message}`);
  });
}
