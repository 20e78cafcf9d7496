import { createHash } from "node:crypto";
import type { MockCallFn, MockStateFn } from "./mock-outputs.js";

/** Deterministic bytes for a mocked random resource, from its name. */
const bytesFor = (seed: string, length: number): Buffer => {
  const out = Buffer.alloc(length);
  for (let i = 0, block = 0; i < length; block++) {
    const h = createHash("sha256").update(`${seed}:${block}`).digest();
    i += h.copy(out, i);
  }
  return out;
};

const str = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);

/** Mocked outputs of Kubernetes, Helm, Kafka, docker-build and random resources. */
export const kubernetesMockState: Record<string, MockStateFn> = {
  "random:index/randomPassword:RandomPassword": (a) => ({
    result: bytesFor(a.name, 48)
      .toString("base64url")
      .slice(0, Number(a.inputs.length ?? 32)),
  }),
  "random:index/randomBytes:RandomBytes": (a) => {
    const b = bytesFor(a.name, Number(a.inputs.length ?? 32));
    return { base64: b.toString("base64"), hex: b.toString("hex") };
  },
  // A pushed image is referenced by tag and digest; a loaded one by its tag.
  "docker-build:index:Image": (a) => {
    const tags = (a.inputs.tags as unknown[] | undefined) ?? [];
    const tag = str(tags[0], `${a.name}:mock`);
    const digest = `sha256:${createHash("sha256").update(tag).digest("hex")}`;
    return { digest, ref: a.inputs.push ? `${tag}@${digest}` : tag, contextHash: digest.slice(7, 27) };
  },
  "kubernetes:helm.sh/v3:Release": (a) => ({
    status: { name: a.inputs.name, namespace: a.inputs.namespace, status: "deployed", version: a.inputs.version },
  }),
};

export const kubernetesMockCalls: Record<string, MockCallFn> = {};
