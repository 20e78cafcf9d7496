import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, it } from "node:test";
import { dockerfileProblems } from "../src/testing/dockerfile.js";

const dir = mkdtempSync(path.join(tmpdir(), "df-"));
after(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(path.join(dir, "apps/audit/src"), { recursive: true });
writeFileSync(path.join(dir, "apps/audit/src/main.ts"), "");
// A service folder without sources.
mkdirSync(path.join(dir, "apps/ghost"), { recursive: true });
writeFileSync(path.join(dir, "apps/ghost/package.json"), "{}");

/** The problems of a Dockerfile made of `lines`. */
function problems(lines: string[], args?: Record<string, string>): string[] {
  writeFileSync(path.join(dir, "Dockerfile"), lines.join("\n"));
  return dockerfileProblems(dir, "Dockerfile", args ? { args } : {});
}

/** A parameterised Dockerfile that passes for SERVICE=audit. */
const good = [
  "# syntax=docker/dockerfile:1",
  "ARG NODE_IMAGE=node:20.20.2-bookworm-slim",
  "FROM ${NODE_IMAGE} AS deps",
  "ARG SERVICE",
  'RUN test -n "$SERVICE" \\',
  " && echo $SERVICE",
  "FROM ${NODE_IMAGE}",
  "ARG SERVICE",
  "ENV NODE_ENV=production",
  "WORKDIR /app",
  "COPY --from=deps /nowhere ./",
  "COPY apps/${SERVICE} apps/$SERVICE",
  "USER 1000:1000",
  "WORKDIR apps/${SERVICE}",
  'CMD ["node", "--import", "tsx", "src/main.ts"]',
];
const replaced = (from: string, to: string): string[] => good.map((l) => (l === from ? to : l));

describe("dockerfileProblems", () => {
  it("passes a parameterised multi-stage Dockerfile given its build args", () => {
    assert.deepEqual(problems(good, { SERVICE: "audit" }), []);
    assert.deepEqual(problems(good, { SERVICE: "audit", NODE_IMAGE: "node:20.20.2-bookworm-slim@sha256:" + "a".repeat(64) }), []);
  });

  it("takes a stage built FROM an earlier stage as that stage, not as an unpinned base image", () => {
    const chained = [...good.slice(0, 6), "FROM deps AS install", "RUN true", ...good.slice(6)];
    assert.deepEqual(problems(chained, { SERVICE: "audit" }), []);
    assert.deepEqual(
      problems(["FROM node:20.20.2-bookworm-slim AS a", "FROM a", "USER 1000", "WORKDIR /app", 'CMD ["node", "apps/audit/src/main.ts"]']),
      [],
    );
    assert.deepEqual(
      problems(["FROM node:20.20.2-bookworm-slim AS a", "FROM b", "USER 1000", "WORKDIR /app", 'CMD ["node", "apps/audit/src/main.ts"]']),
      ['base image "b" is not pinned to an exact node x.y.z-bookworm-slim tag'],
    );
  });

  it("names each problem of a bad Dockerfile", () => {
    assert.deepEqual(
      problems([
        "FROM node:20-bookworm-slim",
        "WORKDIR /app",
        "COPY apps/audit apps/audit",
        "COPY missing missing",
        "USER root",
        'CMD ["node", "src/nope.ts"]',
      ]),
      [
        'COPY source "missing" does not exist',
        "not multi-stage",
        'base image "node:20-bookworm-slim" is not pinned to an exact node x.y.z-bookworm-slim tag',
        'final stage USER "root" is not a non-root numeric uid',
        'CMD entry "src/nope.ts" (src/nope.ts in the repository) does not exist',
      ],
    );
  });

  it("reports a missing SERVICE once, and the CMD entry it leaves wrong", () => {
    assert.deepEqual(problems(good), [
      'ARG "SERVICE" is used without a value (no default, not in the build args)',
      'CMD entry "src/main.ts" (apps/src/main.ts in the repository) does not exist',
    ]);
    assert.equal(problems(good, { SERVICE: "" })[0], 'ARG "SERVICE" is used without a value (no default, not in the build args)');
  });

  it("reports the CMD entry of a SERVICE without sources", () => {
    assert.deepEqual(problems(good, { SERVICE: "ghost" }), [
      'CMD entry "src/main.ts" (apps/ghost/src/main.ts in the repository) does not exist',
    ]);
  });

  it("reports a build arg no ARG declares, and variables out of scope", () => {
    assert.deepEqual(problems(good, { SERVICE: "audit", SERVCE: "audit" }), ['build arg "SERVCE" is not declared by any ARG']);
    // A global ARG is seen by FROM lines only, unless the stage declares it again.
    const global = ["ARG SERVICE", ...good.filter((l) => l !== "ARG SERVICE")];
    assert.deepEqual(problems(global, { SERVICE: "audit" }), [
      'ARG "SERVICE" is used in a stage that does not declare it',
      'CMD entry "src/main.ts" (apps/src/main.ts in the repository) does not exist',
    ]);
    assert.deepEqual(problems(replaced("COPY apps/${SERVICE} apps/$SERVICE", "COPY apps/${SERVCE} apps/"), { SERVICE: "audit" }), [
      '"SERVCE" is used but no ARG or ENV declares it',
    ]);
  });

  it("takes the CMD entry from the final stage's last WORKDIR, within /app", () => {
    assert.deepEqual(problems(replaced("WORKDIR apps/${SERVICE}", "WORKDIR /srv"), { SERVICE: "audit" }), [
      'CMD entry "src/main.ts" in WORKDIR /srv is outside /app, where the repository is copied',
    ]);
    assert.deepEqual(problems(replaced("WORKDIR apps/${SERVICE}", "WORKDIR /app"), { SERVICE: "audit" }), [
      'CMD entry "src/main.ts" (src/main.ts in the repository) does not exist',
    ]);
  });

  it("wants an exec-form CMD naming its entry file literally", () => {
    const cmd = 'CMD ["node", "--import", "tsx", "src/main.ts"]';
    assert.deepEqual(problems(replaced(cmd, "CMD node --import tsx src/main.ts"), { SERVICE: "audit" }), [
      'final stage CMD "node --import tsx src/main.ts" is not in exec form (a JSON array): a shell as PID 1 does not pass SIGTERM on',
    ]);
    assert.deepEqual(problems(replaced(cmd, 'CMD ["node", "apps/${SERVICE}/src/main.ts"]'), { SERVICE: "audit" }), [
      'CMD entry "apps/${SERVICE}/src/main.ts" has a variable, which an exec-form CMD does not expand (set WORKDIR instead)',
    ]);
    assert.deepEqual(problems(replaced(cmd, 'CMD ["node"]'), { SERVICE: "audit" }), ["CMD names no .ts or .js entry file"]);
    assert.deepEqual(
      problems(
        good.filter((l) => l !== cmd),
        { SERVICE: "audit" },
      ),
      ["final stage has no CMD"],
    );
  });
});
