import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../ci/oidc-token-file.sh");

/** Runs the script without blocking the event loop (the token endpoint is served by this process). */
function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", [script, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b));
    child.stderr.on("data", (b: Buffer) => (stderr += b));
    child.on("close", (code) => resolve({ status: code ?? 1, stdout, stderr }));
  });
}

/** GitHub's OIDC token endpoint as a job sees it: a bearer request token, the audience in the query. */
function tokenEndpoint(issued: string[]): http.Server {
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.headers.authorization !== "bearer request-token" || url.searchParams.get("audience") !== "api://AzureADTokenExchange")
      return res.writeHead(403).end();
    const value = `oidc-${issued.length + 1}`;
    issued.push(value);
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ value }));
  });
}

describe("scripts/ci/oidc-token-file.sh (kubelogin workloadidentity in GitHub Actions)", () => {
  const issued: string[] = [];
  const server = tokenEndpoint(issued);
  const dir = mkdtempSync(path.join(os.tmpdir(), "oidc-file-"));
  const file = path.join(dir, "token");
  let env: NodeJS.ProcessEnv = {};
  before(async () => {
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    env = {
      ...process.env,
      ACTIONS_ID_TOKEN_REQUEST_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "request-token",
      GITHUB_ENV: path.join(dir, "github-env"),
      ARM_CLIENT_ID: "11111111-1111-1111-1111-111111111111",
      ARM_TENANT_ID: "22222222-2222-2222-2222-222222222222",
    };
  });
  after(async () => {
    await run(["stop", "--file", file], env);
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  it("writes a token now, owner-only, and exports what kubelogin reads (no token in the environment)", async () => {
    const r = await run(["start", "--file", file, "--interval", "1"], env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(file, "utf8"), "oidc-1");
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(
      readFileSync(env.GITHUB_ENV!, "utf8"),
      `AZURE_FEDERATED_TOKEN_FILE=${file}\nAZURE_AUTHORITY_HOST=https://login.microsoftonline.com/\n` +
        "AZURE_CLIENT_ID=11111111-1111-1111-1111-111111111111\nAZURE_TENANT_ID=22222222-2222-2222-2222-222222222222\n",
    );
    assert.doesNotMatch(r.stdout + r.stderr, /oidc-1/);
  });

  it("keeps refreshing the file in the background until stopped", async () => {
    await new Promise((r) => setTimeout(r, 2600));
    const now = readFileSync(file, "utf8");
    assert.notEqual(now, "oidc-1", "refreshed");
    assert.ok(issued.length >= 2);
    assert.equal((await run(["stop", "--file", file], env)).status, 0);
    const stopped = issued.length;
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok(issued.length <= stopped + 1, "no refresh after stop (one may have been in flight)");
  });

  it("fails the step, naming the permission, when the job has no id-token: write", async () => {
    const r = await run(["start", "--file", path.join(dir, "t2")], {
      ...env,
      ACTIONS_ID_TOKEN_REQUEST_URL: "",
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: "",
    });
    assert.equal(r.status, 1);
    assert.equal(r.stderr, "oidc-token-file: no ACTIONS_ID_TOKEN_REQUEST_URL/TOKEN: the job needs permissions: id-token: write\n");
  });

  it("fails when the endpoint refuses, leaving no partial file", async () => {
    const r = await run(["fetch", "--file", path.join(dir, "t3")], { ...env, ACTIONS_ID_TOKEN_REQUEST_TOKEN: "wrong" });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /could not fetch a GitHub OIDC token/);
    assert.throws(() => statSync(path.join(dir, "t3")));
  });
});
