import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parsePreviewArgs, PreviewUsageError } from "../src/preview-args.js";

/** `npm run preview` arguments: a clear message naming the bad one. */

describe("parsePreviewArgs", () => {
  it("reads the stack and options; --base implies --diff", () => {
    assert.deepEqual(parsePreviewArgs(["--stack", "dev"]), { stack: "dev", diff: false, install: "auto", keep: false });
    assert.deepEqual(parsePreviewArgs(["--stack=prod", "--base", "origin/main", "--install", "ci", "--keep"]), {
      stack: "prod",
      diff: true,
      install: "ci",
      keep: true,
      base: "origin/main",
    });
    assert.equal(parsePreviewArgs([]), "help");
  });

  it("rejects an unknown stack, a flag without its value and an unknown flag, naming them", () => {
    assert.throws(
      () => parsePreviewArgs(["--stack", "staging"]),
      new PreviewUsageError('unknown stack "staging"; expected one of: bootstrap, dev, prod, local'),
    );
    assert.throws(() => parsePreviewArgs(["--stack", "dev", "--base"]), new PreviewUsageError("--base needs a value"));
    assert.throws(() => parsePreviewArgs(["--stack", "dev", "--refresh"]), new PreviewUsageError('unknown argument "--refresh"'));
    assert.throws(
      () => parsePreviewArgs(["--stack", "dev", "--install", "copy"]),
      new PreviewUsageError('--install must be auto, link or ci (got "copy")'),
    );
  });
});
