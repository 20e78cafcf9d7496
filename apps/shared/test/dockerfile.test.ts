import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { test } from "node:test";
import { dockerfileProblems } from "../src/testing/dockerfile.js";

test("dockerfileProblems names each problem of a bad Dockerfile", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "df-"));
  mkdirSync(path.join(dir, "src"));
  writeFileSync(path.join(dir, "src", "main.ts"), "");
  writeFileSync(path.join(dir, "Dockerfile"), ["FROM node:20-bookworm-slim", "COPY src src", "COPY missing missing", "USER root", "EXPOSE 80", 'CMD ["node", "src/nope.ts"]'].join("\n"));
  assert.deepEqual(dockerfileProblems(dir, "Dockerfile", { port: 3000 }), [
    "not multi-stage",
    'base image "node:20-bookworm-slim" is not pinned to an exact node x.y.z-bookworm-slim tag',
    'final stage USER "root" is not a non-root numeric uid',
    'COPY source "missing" does not exist',
    'CMD entry "src/nope.ts" does not exist',
    'expected EXPOSE 3000, got "EXPOSE 80"',
  ]);
  writeFileSync(path.join(dir, "Dockerfile"), ["ARG I=node:20.20.2-bookworm-slim", "FROM ${I} AS a", "FROM ${I}", "COPY src src", "USER 1000:1000", "EXPOSE 3000", 'CMD ["node", "--import", "tsx", "src/main.ts"]'].join("\n"));
  assert.deepEqual(dockerfileProblems(dir, "Dockerfile", { port: 3000 }), []);
});
