/**
 * Static checks of a service Dockerfile (no container engine here): multi-stage, pinned base image,
 * non-root numeric USER in the final stage, every COPY source present, an exec-form CMD whose entry
 * file is present, every build arg declared and every variable used given a value. Variables are
 * expanded as Docker does in FROM, COPY, WORKDIR and USER: per stage, a build arg in `args`
 * overriding the ARG's default. The image's /app is the repository root (the build context), so the
 * CMD entry, taken relative to the final stage's last WORKDIR, must exist under it. Returns the
 * problems; empty means fine.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export interface DockerfileCheckOptions {
  /** Build args, as `--build-arg NAME=value`. */
  readonly args?: Readonly<Record<string, string>>;
}

/** Where the Dockerfiles put the build context (the repository root) in the image. */
const appRoot = "/app";

export function dockerfileProblems(repoRoot: string, dockerfile: string, opts: DockerfileCheckOptions = {}): string[] {
  const given = opts.args ?? {};
  const problems: string[] = [];
  const report = (p: string) => {
    if (!problems.includes(p)) problems.push(p);
  };
  const lines = readFileSync(path.join(repoRoot, dockerfile), "utf8")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  // Variables in scope: before the first FROM the global ARGs (seen by FROM lines only); in a stage,
  // the ARGs it declares, a bare `ARG X` taking the global default.
  const globals = new Map<string, string | undefined>();
  let scope: Map<string, string | undefined> | undefined;
  const declared = new Set<string>();
  const expand = (s: string): string =>
    s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => {
      const name = (braced ?? bare)!;
      const vars = scope ?? globals;
      if (!vars.has(name))
        report(
          globals.has(name)
            ? `ARG "${name}" is used in a stage that does not declare it`
            : `"${name}" is used but no ARG or ENV declares it`,
        );
      else if (!vars.get(name)) report(`ARG "${name}" is used without a value (no default, not in the build args)`);
      return vars.get(name) ?? "";
    });

  const froms: string[] = [];
  const stages = new Set<string>();
  let stageCount = 0;
  let user = "";
  let workdir = "/";
  let cmd: string | undefined;
  for (const line of lines) {
    const [instruction = "", ...rest] = line.split(/\s+/);
    const words = rest.filter((w) => !w.startsWith("--"));
    switch (instruction.toUpperCase()) {
      case "ARG": {
        const [name = "", def] = rest.join(" ").split(/=(.*)/s);
        declared.add(name);
        const value = given[name] ?? def ?? (scope ? globals.get(name) : undefined);
        (scope ?? globals).set(name, value);
        break;
      }
      case "FROM": {
        scope = undefined;
        const image = expand(words[0] ?? "");
        // `FROM <earlier stage>` builds on that stage; only the images of the others are base images.
        if (!stages.has(image)) froms.push(image);
        if (words[1]?.toUpperCase() === "AS" && words[2]) stages.add(words[2]);
        stageCount++;
        scope = new Map();
        user = "";
        workdir = "/";
        cmd = undefined;
        break;
      }
      case "ENV":
        if (rest[0] && !rest[0].includes("=")) scope?.set(rest[0], rest.slice(1).join(" "));
        else for (const m of rest.map((w) => /^(\w+)=(.*)$/.exec(w))) if (m) scope?.set(m[1]!, m[2]!);
        break;
      case "USER":
        user = expand(words[0] ?? "");
        break;
      case "WORKDIR":
        workdir = path.posix.resolve(workdir, expand(words.join(" ")));
        break;
      case "COPY":
        if (rest.some((w) => w.startsWith("--from="))) break;
        for (const src of words.slice(0, -1).map(expand))
          if (src !== "." && !existsSync(path.join(repoRoot, src))) report(`COPY source "${src}" does not exist`);
        for (const dest of words.slice(-1)) expand(dest);
        break;
      case "CMD":
        cmd = rest.join(" ");
        break;
    }
  }

  for (const name of Object.keys(given)) if (!declared.has(name)) report(`build arg "${name}" is not declared by any ARG`);
  if (stageCount < 2) report("not multi-stage");
  for (const image of froms)
    if (!/^node:\d+\.\d+\.\d+-bookworm-slim(@sha256:[0-9a-f]{64})?$/.test(image))
      report(`base image "${image}" is not pinned to an exact node x.y.z-bookworm-slim tag`);
  if (!/^[1-9]\d*(:[1-9]\d*)?$/.test(user)) report(`final stage USER "${user}" is not a non-root numeric uid`);

  if (cmd === undefined) {
    report("final stage has no CMD");
    return problems;
  }
  let argv: unknown;
  try {
    argv = JSON.parse(cmd) as unknown;
  } catch {
    argv = undefined;
  }
  if (!Array.isArray(argv) || !argv.every((a) => typeof a === "string")) {
    report(`final stage CMD ${JSON.stringify(cmd)} is not in exec form (a JSON array): a shell as PID 1 does not pass SIGTERM on`);
    return problems;
  }
  const entry = (argv as string[]).find((a) => a.endsWith(".ts") || a.endsWith(".js"));
  if (entry?.includes("$")) {
    report(`CMD entry "${entry}" has a variable, which an exec-form CMD does not expand (set WORKDIR instead)`);
    return problems;
  }
  if (entry === undefined) {
    report("CMD names no .ts or .js entry file");
    return problems;
  }
  const rel = path.posix.relative(appRoot, path.posix.resolve(workdir, entry));
  if (rel.startsWith("..")) report(`CMD entry "${entry}" in WORKDIR ${workdir} is outside ${appRoot}, where the repository is copied`);
  else if (!existsSync(path.join(repoRoot, rel))) report(`CMD entry "${entry}" (${rel} in the repository) does not exist`);
  return problems;
}
