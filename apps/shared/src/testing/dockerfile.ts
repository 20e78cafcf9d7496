/**
 * Static checks of a service Dockerfile (no container engine here): multi-stage, pinned base image,
 * non-root numeric USER in the final stage, every COPY source present, the CMD entry file present,
 * EXPOSE = the catalog port. Returns the problems; empty means fine.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export function dockerfileProblems(repoRoot: string, dockerfile: string, expect: { port: number }): string[] {
  const problems: string[] = [];
  const lines = readFileSync(path.join(repoRoot, dockerfile), "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const args = new Map<string, string>();
  for (const l of lines) {
    const m = /^ARG (\w+)=(\S+)$/.exec(l);
    if (m) args.set(m[1]!, m[2]!);
  }
  const resolve = (s: string) => s.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? "");
  const froms = lines.filter((l) => l.startsWith("FROM ")).map((l) => resolve(l.split(/\s+/)[1]!));
  if (froms.length < 2) problems.push("not multi-stage");
  for (const image of froms) if (!/^node:\d+\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/.test(image)) problems.push(`base image "${image}" is not pinned to an exact node x.y.z-bookworm-slim tag`);
  const lastFrom = lines.map((l) => l.startsWith("FROM ")).lastIndexOf(true);
  const users = lines.slice(lastFrom).filter((l) => l.startsWith("USER "));
  const user = users.at(-1)?.split(/\s+/)[1] ?? "";
  if (!/^[1-9]\d*(:[1-9]\d*)?$/.test(user)) problems.push(`final stage USER "${user}" is not a non-root numeric uid`);
  for (const l of lines.filter((x) => x.startsWith("COPY ") && !x.includes("--from="))) {
    const parts = l.split(/\s+/).slice(1).filter((p) => !p.startsWith("--"));
    for (const src of parts.slice(0, -1)) if (src !== "." && !existsSync(path.join(repoRoot, src))) problems.push(`COPY source "${src}" does not exist`);
  }
  const cmd = lines.find((l) => l.startsWith("CMD "));
  const entry = cmd ? (JSON.parse(cmd.slice(4)) as string[]).find((a) => a.endsWith(".ts") || a.endsWith(".js")) : undefined;
  if (!entry || !existsSync(path.join(repoRoot, entry))) problems.push(`CMD entry "${entry}" does not exist`);
  const expose = lines.find((l) => l.startsWith("EXPOSE "));
  if (expose !== `EXPOSE ${expect.port}`) problems.push(`expected EXPOSE ${expect.port}, got "${expose ?? ""}"`);
  return problems;
}
