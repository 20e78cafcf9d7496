/** A minimal Kubernetes API client: bearer token over HTTPS to one server whose certificate is pinned. */
import https from "node:https";

export interface KubeResponse {
  readonly status: number;
  /** The parsed JSON body (a Status object on errors), or the raw text when it is not JSON. */
  readonly body: unknown;
  /** Every `Warning` header the server sent (admission warnings, deprecations), without the `299 - ` code. */
  readonly warnings: readonly string[];
}

export interface KubeClient {
  readonly url: string;
  request(method: string, path: string, body?: unknown): Promise<KubeResponse>;
  close(): void;
}

/** `299 - "message"` → `message` (RFC 7234 warn-code, warn-agent, quoted warn-text). */
export function parseWarning(header: string): string {
  const m = /^\d{3} \S+ "((?:[^"\\]|\\.)*)"/.exec(header);
  return m ? m[1]!.replace(/\\(.)/g, "$1") : header;
}

/** A client for `url` that trusts only `caPem` and sends `token`. Requests time out after `timeoutMs`. */
export function kubeClient(url: string, token: string, caPem: string, timeoutMs = 30_000): KubeClient {
  const agent = new https.Agent({ ca: caPem, keepAlive: true, maxSockets: 8 });
  const request = (method: string, path: string, body?: unknown): Promise<KubeResponse> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = https.request(
        new URL(path, url),
        {
          method,
          agent,
          timeout: timeoutMs,
          headers: {
            authorization: `Bearer ${token}`,
            accept: "application/json",
            ...(payload ? { "content-type": "application/json", "content-length": payload.length } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            let parsed: unknown = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON: keep the text
            }
            // rawHeaders, not headers: Node joins repeated Warning headers into one string with ", ".
            const warnings: string[] = [];
            for (let i = 0; i < res.rawHeaders.length; i += 2) {
              if (res.rawHeaders[i]!.toLowerCase() === "warning") warnings.push(parseWarning(res.rawHeaders[i + 1]!));
            }
            resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
          });
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on("error", reject);
      req.end(payload);
    });
  return { url, request, close: () => agent.destroy() };
}

/** The `message` of a Kubernetes Status body, else the body as text. */
export function statusMessage(body: unknown): string {
  if (body && typeof body === "object" && "message" in body && typeof body.message === "string") return body.message;
  return typeof body === "string" ? body : JSON.stringify(body);
}
