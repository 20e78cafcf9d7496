/**
 * A tiny OTLP/HTTP trace receiver for the integration tier: daprd's OpenTelemetry exporter (Configuration
 * `tracing.otel`, protocol http) posts ExportTraceServiceRequest protobufs to `/v1/traces`; this decodes the
 * fields a test asserts on (trace and span ids, parent, name, kind, the resource's service.name) with a minimal
 * protobuf wire reader. Field numbers from opentelemetry-proto (trace/v1/trace.proto, common/v1/common.proto,
 * collector/trace/v1/trace_service.proto). JSON bodies (OTLP/JSON) are accepted too.
 */
import { createServer, type Server } from "node:http";
import { gunzipSync } from "node:zlib";

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** Empty for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  /** OTLP SpanKind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  /** The resource's service.name (daprd sets the app id). */
  readonly service: string;
}

export interface OtlpReceiver {
  /** `host:port` for Dapr's `endpointAddress`. */
  readonly address: string;
  readonly spans: ReceivedSpan[];
  /** Export requests received, and those that failed to decode (answered 400). */
  readonly stats: { requests: number; rejected: number };
  stop(): Promise<void>;
}

type Field = { no: number; wire: number; value: Buffer | bigint };

/** The fields of one protobuf message (varint, 64-bit, length-delimited and 32-bit wire types). */
export function protoFields(buf: Buffer): Field[] {
  const fields: Field[] = [];
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (i >= buf.length) throw new Error("truncated varint");
      const b = buf[i++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return result;
      shift += 7n;
    }
  };
  while (i < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) fields.push({ no, wire, value: varint() });
    else if (wire === 1 || wire === 5) {
      const len = wire === 1 ? 8 : 4;
      if (i + len > buf.length) throw new Error("truncated fixed field");
      fields.push({ no, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else if (wire === 2) {
      const len = Number(varint());
      if (i + len > buf.length) throw new Error("truncated length-delimited field");
      fields.push({ no, wire, value: buf.subarray(i, i + len) });
      i += len;
    } else throw new Error(`unsupported wire type ${wire}`);
  }
  return fields;
}

const bytesOf = (fields: Field[], no: number): Buffer[] => fields.filter((f) => f.no === no && f.wire === 2).map((f) => f.value as Buffer);
const firstBytes = (fields: Field[], no: number): Buffer => bytesOf(fields, no)[0] ?? Buffer.alloc(0);

/** resource.attributes["service.name"] of a Resource message (KeyValue 1: key, 2: AnyValue{1: string_value}). */
function serviceName(resource: Buffer): string {
  for (const kv of bytesOf(protoFields(resource), 1)) {
    const f = protoFields(kv);
    if (firstBytes(f, 1).toString() === "service.name") return firstBytes(protoFields(firstBytes(f, 2)), 1).toString();
  }
  return "";
}

/** The spans of an ExportTraceServiceRequest (1: ResourceSpans{1: Resource, 2: ScopeSpans{2: Span}}). */
export function decodeTraceRequest(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const rs of bytesOf(protoFields(body), 1)) {
    const rsFields = protoFields(rs);
    const service = serviceName(firstBytes(rsFields, 1));
    for (const ss of bytesOf(rsFields, 2)) {
      for (const span of bytesOf(protoFields(ss), 2)) {
        const f = protoFields(span);
        spans.push({
          traceId: firstBytes(f, 1).toString("hex"),
          spanId: firstBytes(f, 2).toString("hex"),
          parentSpanId: firstBytes(f, 4).toString("hex"),
          name: firstBytes(f, 5).toString(),
          kind: Number((f.find((x) => x.no === 6 && x.wire === 0)?.value as bigint | undefined) ?? 0n),
          service,
        });
      }
    }
  }
  return spans;
}

interface JsonTraceRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value?: { stringValue?: string } }[] };
    scopeSpans?: { spans?: { traceId: string; spanId: string; parentSpanId?: string; name: string; kind?: number }[] }[];
  }[];
}

/** OTLP/JSON: ids are hex strings already. */
function decodeJsonRequest(body: Buffer): ReceivedSpan[] {
  const req = JSON.parse(body.toString()) as JsonTraceRequest;
  return (req.resourceSpans ?? []).flatMap((rs) => {
    const service = rs.resource?.attributes?.find((a) => a.key === "service.name")?.value?.stringValue ?? "";
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: s.traceId.toLowerCase(),
        spanId: s.spanId.toLowerCase(),
        parentSpanId: (s.parentSpanId ?? "").toLowerCase(),
        name: s.name,
        kind: s.kind ?? 0,
        service,
      })),
    );
  });
}

/** Starts the receiver on 127.0.0.1:`port` (0: any free port). */
export async function startOtlpReceiver(port = 0): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const stats = { requests: 0, rejected: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url?.split("?")[0] !== "/v1/traces") {
        res.writeHead(404).end();
        return;
      }
      stats.requests++;
      try {
        let body = Buffer.concat(chunks);
        if (req.headers["content-encoding"] === "gzip") body = gunzipSync(body);
        const json = String(req.headers["content-type"] ?? "").includes("json");
        spans.push(...(json ? decodeJsonRequest(body) : decodeTraceRequest(body)));
        // An empty ExportTraceServiceResponse: full success.
        res.writeHead(200, { "content-type": json ? "application/json" : "application/x-protobuf" }).end(json ? "{}" : Buffer.alloc(0));
      } catch (err) {
        stats.rejected++;
        res.writeHead(400, { "content-type": "text/plain" }).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const addr = server.address();
  if (!addr || typeof addr === "string") throw new Error("OTLP receiver: no TCP address");
  return {
    address: `127.0.0.1:${addr.port}`,
    spans,
    stats,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
