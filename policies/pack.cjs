// Entry point of the policy pack for the Pulumi CLI. The CLI starts the pack with
// @pulumi/pulumi/cmd/run-policy-pack, which require()s this package's "main" from the pack
// directory and ignores PulumiPolicy.yaml's runtime options (nodeargs). The pack is TypeScript ESM
// like the Pulumi program, so register tsx's loader here (what `--import tsx` does for the program)
// and import the TypeScript entry. run-policy-pack awaits the exported promise.
"use strict";
const { register } = require("tsx/esm/api");
register();
module.exports = import("./src/pack.ts");
