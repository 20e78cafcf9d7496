// Entry point of the policy pack for the Pulumi CLI. The CLI starts the pack with
// @pulumi/pulumi/cmd/run-policy-pack, which require()s this package's "main" from the pack
// directory and ignores PulumiPolicy.yaml's runtime options (nodeargs). The pack is TypeScript ESM
// like the Pulumi program, so load tsx here exactly as the program's `--import tsx` does (importing
// "tsx" installs its ESM and CommonJS hooks), then import the TypeScript entry.
// run-policy-pack awaits the exported promise.
"use strict";
module.exports = import("tsx").then(() => import("./src/pack.ts"));
