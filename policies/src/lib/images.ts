/** A container image reference split into registry, repository, tag and digest. */
export interface ImageRef {
  /** Registry host (with port), or undefined for a bare name such as `tasks-api:1.0` (Docker Hub / node-local). */
  readonly registry: string | undefined;
  readonly repository: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/**
 * Parses `[registry/]repository[:tag][@digest]`. The first path segment is a registry when it has a
 * dot or a port or is `localhost` (the Docker reference grammar).
 */
export function parseImage(ref: string): ImageRef {
  let rest = ref.trim();
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf("/");
  const colon = rest.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const first = rest.split("/")[0] ?? "";
  const hasRegistry = rest.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  return {
    registry: hasRegistry ? first : undefined,
    repository: hasRegistry ? rest.slice(first.length + 1) : rest,
    tag,
    digest,
  };
}

/** Tags that name a moving target rather than one build. */
const mutableTags = new Set(["latest", "stable", "main", "master", "edge", "nightly", "dev"]);

/** Why an image reference is not pinned to one build, or undefined if it is (a digest, or a fixed tag). */
export function mutableImageReason(ref: string): string | undefined {
  if (ref.trim() === "") return "the image is empty";
  const parsed = parseImage(ref);
  if (parsed.digest) return /^sha256:[0-9a-f]{64}$/.test(parsed.digest) ? undefined : `digest "${parsed.digest}" is not a sha256 digest`;
  if (!parsed.tag) return "it has no tag (which means latest)";
  if (mutableTags.has(parsed.tag.toLowerCase())) return `tag "${parsed.tag}" moves between builds`;
  return undefined;
}

/** Registry host of an image; a reference without one is a Docker Hub image. */
export const registryHost = (ref: ImageRef): string => ref.registry ?? "docker.io";

/** `host/repository` with Docker Hub's implied `library/` for official images, e.g. `docker.io/library/postgres`. */
export function fullRepository(ref: ImageRef): string {
  const host = registryHost(ref);
  const repo = host === "docker.io" && !ref.repository.includes("/") ? `library/${ref.repository}` : ref.repository;
  return `${host}/${repo}`;
}

/**
 * Whether an image matches an allow-list pattern. Host patterns: an exact host, `*.suffix` for any
 * host under a domain, `host:*` for any port. Repository patterns (with a `/`): an exact repository
 * such as `docker.io/library/postgres`, or every repository under a path ending in `/*`.
 */
export function imageAllowed(ref: ImageRef, patterns: readonly string[]): boolean {
  const host = registryHost(ref);
  const repo = fullRepository(ref);
  return patterns.some((p) => {
    if (p.includes("/")) return p.endsWith("/*") ? repo.startsWith(p.slice(0, -1)) : repo === p;
    if (p.startsWith("*.")) return host.endsWith(p.slice(1));
    if (p.endsWith(":*")) return host === p.slice(0, -2) || host.startsWith(p.slice(0, -1));
    return host === p;
  });
}
