// Lint for the whole monorepo: `npm run lint`. Formatting is Prettier's (`npm run format`); these rules
// catch what a formatter cannot. max-lines / max-lines-per-function are warnings: they point at files and
// functions to split, without blocking a change.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import tasks from "@tasks/lint/layering";

export default tseslint.config(
  { ignores: ["**/node_modules/**", "**/dist/**", ".tmp/**", ".cache/**", "**/*.cjs"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports", disallowTypeAnnotations: false }],
      "@typescript-eslint/no-explicit-any": "error",
      // Validators reject control characters on purpose.
      "no-control-regex": "off",
      "max-lines": ["warn", { max: 250, skipBlankLines: true, skipComments: true }],
      "max-lines-per-function": ["warn", { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Layering (tools/lint/layering.js): imports point down the layers, never out of a workspace by path,
    // and every package imported by name is declared in the importer's own package.json.
    files: ["**/*.ts"],
    plugins: { tasks },
    rules: {
      "tasks/no-relative-cross-workspace": "error",
      "tasks/layers": "error",
      "tasks/declared-dependencies": "error",
    },
  },
  {
    // A test file is a list of cases inside describe(): its length says nothing about a function's.
    files: ["**/test/**/*.ts", "**/*.test.ts"],
    rules: { "max-lines-per-function": "off", "max-lines": "off" },
  },
);
