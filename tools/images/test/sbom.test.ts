import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { componentCounts, cycloneDx, debPurl, npmPurl, parseDpkgStatus, type ImageInventory } from "../src/sbom.js";

const status = `Package: libc6
Status: install ok installed
Priority: required
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u13
Description: GNU C Library
 with a continuation line: not a field

Package: gone
Status: deinstall ok config-files
Architecture: amd64
Version: 1.0

Package: base-files
Status: install ok installed
Architecture: amd64
Version: 12.4+deb12u12
`;

const inventory: ImageInventory = {
  packages: [
    { path: "node_modules/express", name: "express", version: "5.3.0", license: "MIT" },
    { path: "node_modules/@grpc/grpc-js", name: "@grpc/grpc-js", version: "1.14.7", license: "Apache-2.0" },
    { path: "apps/recurrence/node_modules/@js-temporal/polyfill", name: "@js-temporal/polyfill", version: "0.5.1", license: "ISC" },
  ],
  workspaces: [{ path: "apps/shared", name: "@tasks/shared", version: "0.1.0" }],
  nodeVersion: "v20.20.2",
  npmVersion: "10.8.2",
  dpkgStatus: status,
  osRelease: 'ID=debian\nVERSION_ID="12"\n',
};
const lock = {
  "node_modules/express": { version: "5.3.0", integrity: `sha512-${Buffer.from("express").toString("base64")}` },
  "node_modules/@grpc/grpc-js": { version: "1.14.7" },
  "apps/recurrence/node_modules/@js-temporal/polyfill": { version: "0.5.1" },
};
const subject = { service: "recurrence", tag: "src-1", ref: "tasks.local/recurrence:src-1", imageId: "abc" };

describe("dpkg status", () => {
  it("lists installed packages only, with version, architecture and source", () => {
    assert.deepEqual(parseDpkgStatus(status), [
      { name: "base-files", version: "12.4+deb12u12", architecture: "amd64" },
      { name: "libc6", version: "2.36-9+deb12u13", architecture: "amd64", source: "glibc" },
    ]);
  });
});

describe("purls", () => {
  it("encode scopes and Debian epochs", () => {
    assert.equal(npmPurl("@grpc/grpc-js", "1.14.7"), "pkg:npm/%40grpc/grpc-js@1.14.7");
    assert.equal(npmPurl("express", "5.3.0"), "pkg:npm/express@5.3.0");
    assert.equal(
      debPurl({ name: "perl-base", version: "1:5.36.0-7", architecture: "amd64" }, "debian-12"),
      "pkg:deb/debian/perl-base@1%3A5.36.0-7?arch=amd64&distro=debian-12",
    );
  });
});

describe("cycloneDx", () => {
  it("holds the image's npm packages at their install paths, the runtime, npm, the workspaces and the Debian packages", () => {
    const bom = cycloneDx(subject, inventory, lock, new Date("2026-12-01T00:00:00Z")) as {
      specVersion: string;
      metadata: { component: { name: string; version: string } };
      components: {
        name: string;
        purl?: string;
        hashes?: { alg: string; content: string }[];
        properties?: { name: string; value: string }[];
      }[];
    };
    assert.equal(bom.specVersion, "1.5");
    assert.deepEqual([bom.metadata.component.name, bom.metadata.component.version], ["recurrence", "src-1"]);
    assert.deepEqual(componentCounts(bom), { npm: 5, deb: 2, total: 9 });
    const express = bom.components.find((c) => c.name === "express")!;
    assert.deepEqual(express.hashes, [{ alg: "SHA-512", content: Buffer.from("express").toString("hex") }]);
    const temporal = bom.components.find((c) => c.purl === "pkg:npm/%40js-temporal/polyfill@0.5.1")!;
    assert.ok(temporal.properties?.some((p) => p.value === "/app/apps/recurrence/node_modules/@js-temporal/polyfill"));
    assert.ok(bom.components.some((c) => c.purl === "pkg:generic/node@20.20.2"));
    assert.ok(bom.components.some((c) => c.purl === "pkg:deb/debian/libc6@2.36-9%2Bdeb12u13?arch=amd64&distro=debian-12"));
    const shared = bom.components.find((c) => c.purl === "pkg:npm/%40tasks/shared@0.1.0")!;
    assert.ok(shared.properties?.some((p) => p.name === "tasks-platform:first-party"));
  });

  it("refuses an image whose packages differ from the lockfile, naming them", () => {
    assert.throws(
      () => cycloneDx(subject, inventory, { ...lock, "node_modules/express": { version: "5.2.0" } }),
      /recurrence: 1 package\(s\) in the image differ from package-lock.json: node_modules\/express@5.3.0 \(lockfile: 5.2.0\)/,
    );
    const { "node_modules/@grpc/grpc-js": _, ...withoutGrpc } = lock;
    assert.throws(() => cycloneDx(subject, inventory, withoutGrpc), /node_modules\/@grpc\/grpc-js@1.14.7 \(lockfile: absent\)/);
  });
});
