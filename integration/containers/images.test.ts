/**
 * The images themselves (container tier, after `npm run images`): their SBOMs against what the images
 * hold, the proxy CA absent from every layer, the install check catching a package npm left empty, and a
 * build whose npm exits 0 with an empty package folder failing at the install step with a message
 * naming the service and the step.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { buildImages, defaultBase, ImageBuildError } from "@tasks/images/build";
import { podman, podmanOk, repoRoot } from "@tasks/images/podman";
import { localStackRegistry, serviceImages } from "@tasks/images/refs";

const images = serviceImages(localStackRegistry());
const scratch = mkdtempSync(path.join(tmpdir(), "tasks-images-test-"));
const cleanups: (() => Promise<unknown>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
  rmSync(scratch, { recursive: true, force: true });
});

const run = (ref: string, cmd: string[]) => podmanOk(["run", "--rm", "--network", "none", "--read-only", ref, ...cmd]);

test("each image's SBOM names every npm package installed in it and every Debian package of its base", async (t) => {
  const facts = JSON.parse(readFileSync(path.join(repoRoot, ".tmp", "images", "images.json"), "utf8")) as {
    images: { service: string; ref: string; sbom?: { file: string } }[];
  };
  for (const img of images) {
    const entry = facts.images.find((f) => f.ref === img.ref);
    assert.ok(entry?.sbom, `${img.service}: npm run images wrote no SBOM for ${img.ref}`);
    const bom = JSON.parse(readFileSync(entry.sbom.file, "utf8")) as {
      components: { purl?: string; properties?: { name: string; value: string }[] }[];
    };
    const npmPaths = bom.components
      .filter((c) => c.purl?.startsWith("pkg:npm/") && !c.properties?.some((p) => p.name === "tasks-platform:first-party"))
      .flatMap((c) => c.properties?.filter((p) => p.name === "cdx:npm:package:path").map((p) => p.value) ?? [])
      .filter((p) => p.startsWith("/app/"))
      .sort();
    // Independently of the SBOM generator: every package.json that is a package's root, found by `find`.
    const found = (await run(img.ref, ["find", "/app", "-name", "package.json", "-not", "-type", "l"]))
      .split("\n")
      .map((f) => path.dirname(f))
      .filter((dir) => /\/node_modules\/(@[^/]+\/)?[^/@]+$/.test(dir))
      .sort();
    assert.deepEqual(npmPaths, found, `${img.service}: npm components vs package folders in the image`);
    const debs = bom.components
      .filter((c) => c.purl?.startsWith("pkg:deb/debian/"))
      .map((c) => /^pkg:deb\/debian\/([^@]+)@/.exec(c.purl!)![1]);
    const dpkg = (await run(img.ref, ["dpkg-query", "-W", "-f", "${Package}\\n"])).split("\n").filter(Boolean).sort();
    assert.deepEqual(debs.sort(), dpkg, `${img.service}: Debian components vs dpkg-query`);
    t.diagnostic(`${img.service}: ${bom.components.length} components: ${npmPaths.length} npm packages, ${debs.length} Debian packages`);
  }
});

/** The base64 body of each PEM certificate in a bundle. */
const certBodies = (pem: string): string[] =>
  [...pem.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map((m) => m[1]!.replace(/\s+/g, ""));

/** Whether any of `needles` occurs in the file (streamed: image archives are hundreds of MB). */
async function fileContains(file: string, needles: readonly string[]): Promise<string | undefined> {
  const longest = Math.max(...needles.map((n) => n.length));
  let carry = "";
  for await (const chunk of createReadStream(file)) {
    const text = carry + (chunk as Buffer).toString("latin1");
    const hit = needles.find((n) => text.includes(n));
    if (hit) return hit;
    carry = text.slice(-longest);
  }
  return undefined;
}

test("the proxy CA passed as a build secret is in no layer, config or manifest of any image", async (t) => {
  const bundle = process.env.NODE_EXTRA_CA_CERTS;
  if (!bundle || !existsSync(bundle)) return t.skip("no NODE_EXTRA_CA_CERTS: the builds got no extra CA to leak");
  const debian = new Set(certBodies(await run(images[0]!.ref, ["cat", "/etc/ssl/certs/ca-certificates.crt"])));
  const extra = certBodies(readFileSync(bundle, "utf8")).filter((b) => !debian.has(b));
  assert.ok(extra.length > 0, `${bundle} holds no certificate beyond Debian's bundle, so this test shows nothing`);
  // A 64-character line from the middle of each extra certificate, as it appears in a PEM file.
  const needles = extra.map((b) => b.slice(64 * 3, 64 * 4));
  // One uncompressed archive of all the images: every layer (each once), config and manifest.
  const archive = path.join(scratch, "images.tar");
  await podmanOk(["save", "--multi-image-archive", "--format", "docker-archive", "-o", archive, ...images.map((i) => i.ref)]);
  try {
    assert.equal(await fileContains(archive, needles), undefined, "an image layer, config or manifest holds the extra CA certificate");
    t.diagnostic(
      `${extra.length} extra certificate(s) from ${bundle}; ${(statSync(archive).size / 1e6).toFixed(0)} MB of ${images.length} images scanned`,
    );
  } finally {
    rmSync(archive, { force: true });
  }
});

test("the image's install check (apps/verify-install.ts) passes the image and fails once npm has left a package folder empty", async () => {
  const ref = images.find((i) => i.service === "tasks-api")!.ref;
  const name = `tasks-ct-verify-${randomBytes(3).toString("hex")}`;
  await podmanOk(["run", "-d", "--name", name, "--network", "none", "--user", "0", "--entrypoint", "sleep", ref, "600"]);
  cleanups.push(() => podman(["rm", "-f", "-t", "0", name]));
  const check = () => podman(["exec", "--user", "10001", name, "node", "--import", "tsx", "/app/verify-install.ts"]);
  const ok = await check();
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /dependencies and src\/app\.ts load as uid 10001/);
  await podmanOk(["exec", name, "sh", "-c", "rm -rf /app/node_modules/knex/* /app/node_modules/knex/.[!.]*"]);
  const broken = await check();
  assert.notEqual(broken.code, 0);
  assert.match(broken.stderr, /^verify-install: .* does not load .*Cannot find package '\/app\/node_modules\/knex\//);
  await podmanOk(["exec", name, "sh", "-c", "rm -rf /app/node_modules/tsx/*"]);
  const noLoader = await check();
  assert.notEqual(noLoader.code, 0);
  assert.match(noLoader.stderr, /tsx/);
});

test(
  "a build whose npm exits 0 leaving a package folder empty fails at the install step, naming the service and the step",
  { timeout: 600_000 },
  async (t) => {
    const id = randomBytes(3).toString("hex");
    const base = defaultBase(() => undefined);
    const secret =
      process.env.NODE_EXTRA_CA_CERTS && existsSync(process.env.NODE_EXTRA_CA_CERTS)
        ? ["--secret", `id=extra_ca,src=${process.env.NODE_EXTRA_CA_CERTS}`]
        : [];
    // The npm-cache stage (a layer-cache hit after npm run images) holds every package in npm's cache,
    // so the broken base built on it installs without the network.
    const cacheRef = `localhost/tasks-ct-npm-cache:${id}`;
    await podmanOk([
      "build",
      "--network",
      "host",
      "--layers",
      "--target",
      "npm-cache",
      "-f",
      path.join(repoRoot, "apps", "Dockerfile"),
      "--build-arg",
      `NODE_IMAGE=${base}`,
      ...secret,
      "-t",
      cacheRef,
      repoRoot,
    ]);
    cleanups.push(() => podman(["rmi", "-f", cacheRef]));
    // An npm whose offline `npm ci` (the service's install) empties tsx and exits 0, as npm did here when
    // it printed "Exit handler never called!". Its other `npm ci` (the npm-cache stage) does nothing: this
    // base already holds npm's cache. Every other command is the real npm.
    const ctx = path.join(scratch, "broken-npm");
    const wrapper = [
      "#!/bin/sh",
      '[ "$1" = ci ] || exec /usr/local/bin/npm-real "$@"',
      'case " $* " in *" --offline "*) ;; *) exit 0 ;; esac',
      '/usr/local/bin/npm-real "$@" || exit $?',
      "rm -rf node_modules/tsx/*",
      'echo "npm error Exit handler never called!" >&2',
      "exit 0",
    ].join("\n");
    const brokenRef = `localhost/tasks-ct-broken-npm:${id}`;
    mkdirSync(ctx, { recursive: true });
    writeFileSync(path.join(ctx, "npm"), `${wrapper}\n`, { mode: 0o755 });
    writeFileSync(
      path.join(ctx, "Containerfile"),
      [`FROM ${cacheRef}`, "RUN mv /usr/local/bin/npm /usr/local/bin/npm-real", "COPY npm /usr/local/bin/npm"].join("\n"),
    );
    await podmanOk(["build", "--network", "none", "-t", brokenRef, ctx]);
    cleanups.push(() => podman(["rmi", "-f", brokenRef]));
    const registry = `localhost/tasks-ct-broken-${id}`;
    const brokenImage = `${registry}/recurrence:${serviceImages(registry, ["recurrence"])[0]!.tag}`;
    cleanups.push(() => podman(["rmi", "-f", brokenImage]));
    const outDir = path.join(scratch, "broken-build");
    await assert.rejects(
      buildImages({ services: ["recurrence"], base: brokenRef, registry, sbom: false, outDir, log: () => undefined }),
      (err: unknown) => {
        assert.ok(err instanceof ImageBuildError, String(err));
        assert.match(err.message, /^recurrence: the build failed at \[\d\/\d\] STEP \d+\/\d+: RUN .*npm ci --offline/);
        assert.match(err.message, /full log: .*recurrence\.build\.log/);
        t.diagnostic(err.message.split("\n").slice(0, 3).join(" | "));
        return true;
      },
    );
    const buildLog = readFileSync(path.join(outDir, "recurrence.build.log"), "utf8");
    assert.match(buildLog, /Exit handler never called!/, "the simulated npm failure happened");
    assert.match(buildLog, /invalid: tsx@/, "npm ls named the empty package");
    assert.equal((await podman(["image", "exists", brokenImage])).code, 1, "no image was tagged");
  },
);
