// Run by apps/Dockerfile in the final stage, as the app user with the CMD's loader, from the service's
// folder: `node --import tsx /app/verify-install.ts`. Loads every dependency that the service, the shared
// library and the catalog declare, then the service's app module. A package that was only hoisted on a
// workstation, or that npm left empty ("Exit handler never called!" with exit code 0), fails the build
// here instead of the pod. Prints what it loaded; exits 1 naming the package that did not load.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const manifests = ["package.json", "../shared/package.json", "../../catalog/package.json"];
const declared = new Set(
  manifests
    .filter((f) => existsSync(f))
    .flatMap((f) => Object.keys((JSON.parse(readFileSync(f, "utf8")) as { dependencies?: Record<string, string> }).dependencies ?? {})),
);
if (declared.size === 0) {
  console.error(`verify-install: no dependencies declared in ${manifests.join(", ")} under ${process.cwd()}`);
  process.exit(1);
}
// A package with no root entry (the MCP SDK publishes subpaths only) is loaded through the subpath its
// service names in package.json `verifyInstallEntries`.
const entries =
  (JSON.parse(readFileSync("package.json", "utf8")) as { verifyInstallEntries?: Record<string, string> }).verifyInstallEntries ?? {};
for (const name of [...declared].sort()) {
  try {
    await import(entries[name] ?? name);
  } catch (err) {
    console.error(`verify-install: ${name} does not load from ${process.cwd()}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
const app = path.join(process.cwd(), "src", "app.ts");
try {
  await import(app);
} catch (err) {
  console.error(`verify-install: ${app} does not load: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
console.log(`verify-install: ${declared.size} dependencies and src/app.ts load as uid ${process.getuid?.()}`);
