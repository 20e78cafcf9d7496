// ESLint rules that keep the monorepo's arrows pointing down (eslint.config.js turns them on):
//   tasks/no-relative-cross-workspace  a relative import must stay inside its workspace
//   tasks/layers                       a package-name import of ours must follow the `layers` table
//   tasks/declared-dependencies        a package imported by name is declared in the importer's package.json
// Plain JavaScript: ESLint loads it without a TypeScript loader.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Which workspaces each workspace may import by name (the only arrows allowed). `*` = anything. */
export const layers = {
  catalog: [],
  infra: ["catalog"],
  stacks: ["catalog", "infra"],
  policies: ["catalog"],
  "apps/shared": ["catalog"],
  "apps/*": ["catalog", "apps/shared"],
  "tools/*": ["catalog", "infra", "stacks", "policies", "apps/shared", "apps/*"],
  // npm run preview --base checks the base commit out the way plan:diff does (tools/plan's worktree helper).
  "tools/engine": ["catalog", "infra", "stacks", "policies", "apps/shared", "apps/*", "tools/plan"],
  scripts: ["*"],
  integration: ["*"],
};

/**
 * Tests only: apps/audit/test/pipeline.test.ts drives tasks-api's outbox into audit's subscription
 * (declared as a devDependency). A sibling service, never a higher layer.
 */
export const testsMayAlsoImport = { "apps/*": ["apps/*"] };

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const readJson = (file) => JSON.parse(readFileSync(file, "utf8"));

/** The nearest package.json directory of `file` inside the repository (the root's for scripts/, integration/). */
function packageDirOf(file) {
  let dir = path.dirname(file);
  while (dir.startsWith(repoRoot) && dir !== repoRoot) {
    if (existsSync(path.join(dir, "package.json"))) return dir;
    dir = path.dirname(dir);
  }
  return repoRoot;
}

/** A workspace as the layers table names it: its folder, or scripts / integration / `.` under the root package. */
export function workspaceOf(file) {
  const dir = packageDirOf(path.resolve(file));
  if (dir !== repoRoot) return path.relative(repoRoot, dir).split(path.sep).join("/");
  const top = path.relative(repoRoot, path.resolve(file)).split(path.sep)[0];
  return top === "scripts" || top === "integration" ? top : ".";
}

/** The row of the layers table for a workspace folder (`apps/audit` → `apps/*`). */
export function layerOf(workspace) {
  if (workspace in layers && workspace !== "apps/*" && workspace !== "tools/*") return workspace;
  const group = `${workspace.split("/")[0]}/*`;
  return group in layers ? group : undefined;
}

let workspaceByName;
/** `@tasks/<x>` → its folder, from the root package.json's workspaces. */
function workspaceByPackageName() {
  if (workspaceByName) return workspaceByName;
  workspaceByName = new Map();
  for (const pattern of readJson(path.join(repoRoot, "package.json")).workspaces) {
    const dirs = pattern.endsWith("/*")
      ? subfolders(path.join(repoRoot, pattern.slice(0, -2))).map((d) => `${pattern.slice(0, -2)}/${d}`)
      : [pattern];
    for (const d of dirs) {
      const pkg = path.join(repoRoot, d, "package.json");
      if (existsSync(pkg)) workspaceByName.set(readJson(pkg).name, d);
    }
  }
  return workspaceByName;
}
const subfolders = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
    : [];

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export const packageNameOf = (spec) =>
  spec
    .split("/")
    .slice(0, spec.startsWith("@") ? 2 : 1)
    .join("/");

const builtins = new Set(builtinModules);
const isTestFile = (file) => /(^|\/)test\//.test(path.relative(repoRoot, file).split(path.sep).join("/"));

/** Why `from` (a workspace) may not import workspace `to`, or undefined when the arrow is allowed. */
export function layerViolation(from, to, inTest = false) {
  if (from === to || from === ".") return undefined;
  const row = layerOf(from);
  if (!row) return `${from} is not in the layers table (tools/lint/layering.js)`;
  const allowed = [...layers[row], ...(inTest ? (testsMayAlsoImport[row] ?? []) : [])];
  const target = layerOf(to);
  if (allowed.includes("*") || allowed.includes(to) || (target !== undefined && allowed.includes(target))) return undefined;
  return `${from} may import only ${layers[row].length ? layers[row].join(", ") : "no workspace of ours"}, not ${to}`;
}

/** Calls `check(node, specifier)` for every import, export-from, dynamic import() and require() with a literal. */
function eachImport(check) {
  const literal = (node, source) => source && source.type === "Literal" && typeof source.value === "string" && check(node, source.value);
  return {
    ImportDeclaration: (node) => literal(node, node.source),
    ExportNamedDeclaration: (node) => literal(node, node.source),
    ExportAllDeclaration: (node) => literal(node, node.source),
    ImportExpression: (node) => literal(node, node.source),
    TSImportEqualsDeclaration: (node) => literal(node, node.moduleReference?.expression),
  };
}

const noRelativeCrossWorkspace = {
  meta: {
    type: "problem",
    messages: { leaves: "{{spec}} leaves workspace {{from}} for {{to}}: import it by package name (@tasks/...)." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const from = workspaceOf(file);
    return eachImport((node, spec) => {
      if (!spec.startsWith(".")) return;
      const to = workspaceOf(path.resolve(path.dirname(file), spec));
      if (to !== from) context.report({ node, messageId: "leaves", data: { spec, from, to } });
    });
  },
};

const layerRule = {
  meta: { type: "problem", messages: { upward: "{{spec}}: {{why}}." }, schema: [] },
  create(context) {
    const file = context.filename;
    const from = workspaceOf(file);
    return eachImport((node, spec) => {
      const to = workspaceByPackageName().get(packageNameOf(spec));
      if (to === undefined) return;
      const why = layerViolation(from, to, isTestFile(file));
      if (why) context.report({ node, messageId: "upward", data: { spec, why } });
    });
  },
};

const declaredDependencies = {
  meta: {
    type: "problem",
    messages: { undeclared: "{{name}} is not declared in {{pkg}} (dependencies or devDependencies): declare it, do not rely on hoisting." },
    schema: [],
  },
  create(context) {
    const file = context.filename;
    const pkgFile = path.join(packageDirOf(path.resolve(file)), "package.json");
    if (!existsSync(pkgFile)) return {};
    const pkg = readJson(pkgFile);
    const declared = new Set([
      pkg.name,
      ...Object.keys({ ...pkg.dependencies, ...pkg.devDependencies, ...pkg.peerDependencies, ...pkg.optionalDependencies }),
    ]);
    return eachImport((node, spec) => {
      if (spec.startsWith(".") || spec.startsWith("node:") || spec.startsWith("/") || builtins.has(spec.split("/")[0])) return;
      const name = packageNameOf(spec);
      if (!declared.has(name)) context.report({ node, messageId: "undeclared", data: { name, pkg: path.relative(repoRoot, pkgFile) } });
    });
  },
};

export default {
  meta: { name: "@tasks/lint" },
  rules: { "no-relative-cross-workspace": noRelativeCrossWorkspace, layers: layerRule, "declared-dependencies": declaredDependencies },
};
