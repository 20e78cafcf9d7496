import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { decodeTraceRequest, startOtlpReceiver, type OtlpReceiver } from "../src/otlp-receiver.js";

/** A protobuf writer for the test's own messages (the receiver must not be tested with itself). */
const varint = (n: number): Buffer => {
  const out: number[] = [];
  do {
    out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  return Buffer.from(out);
};
const field = (no: number, value: Buffer | string): Buffer => {
  const b = typeof value === "string" ? Buffer.from(value) : value;
  return Buffer.concat([varint((no << 3) | 2), varint(b.length), b]);
};
const enumField = (no: number, v: number) => Buffer.concat([varint(no << 3), varint(v)]);
const fixed64 = (no: number) => Buffer.concat([varint((no << 3) | 1), Buffer.alloc(8, 7)]);

const traceId = Buffer.from("0af7651916cd43dd8448eb211c80319c", "hex");
function request(service: string, spans: { id: string; parent?: string; name: string; kind: number }[]): Buffer {
  const resource = field(1, Buffer.concat([field(1, "service.name"), field(2, field(1, service))]));
  const encoded = spans.map((s) =>
    field(
      2,
      Buffer.concat([
        field(1, traceId),
        field(2, Buffer.from(s.id, "hex")),
        field(3, ""),
        ...(s.parent ? [field(4, Buffer.from(s.parent, "hex"))] : []),
        field(5, s.name),
        enumField(6, s.kind),
        fixed64(7),
      ]),
    ),
  );
  return field(1, Buffer.concat([field(1, resource), field(2, Buffer.concat([field(1, field(1, "dapr")), ...encoded]))]));
}

describe("OTLP/HTTP trace receiver", () => {
  let rx: OtlpReceiver;
  before(async () => {
    rx = await startOtlpReceiver();
  });
  after(() => rx.stop());

  it("decodes trace and span ids, parent, name, kind and the resource's service.name", () => {
    const spans = decodeTraceRequest(
      request("recurrence", [
        { id: "b7ad6b7169203331", name: "pubsub/task.completed", kind: 5 },
        { id: "00f067aa0ba902b7", parent: "b7ad6b7169203331", name: "CallLocal/tasks-api/internal", kind: 3 },
      ]),
    );
    assert.deepEqual(spans, [
      {
        traceId: traceId.toString("hex"),
        spanId: "b7ad6b7169203331",
        parentSpanId: "",
        name: "pubsub/task.completed",
        kind: 5,
        service: "recurrence",
      },
      {
        traceId: traceId.toString("hex"),
        spanId: "00f067aa0ba902b7",
        parentSpanId: "b7ad6b7169203331",
        name: "CallLocal/tasks-api/internal",
        kind: 3,
        service: "recurrence",
      },
    ]);
  });

  it("collects what is posted to /v1/traces (protobuf, gzip, JSON) and answers 400 to a truncated body", async () => {
    const post = (body: Buffer | string, headers: Record<string, string>) =>
      fetch(`http://${rx.address}/v1/traces`, { method: "POST", body, headers });
    assert.equal(
      (await post(request("tasks-api", [{ id: "1111111111111111", name: "a", kind: 2 }]), { "content-type": "application/x-protobuf" }))
        .status,
      200,
    );
    assert.equal(
      (
        await post(gzipSync(request("audit", [{ id: "2222222222222222", name: "b", kind: 5 }])), {
          "content-type": "application/x-protobuf",
          "content-encoding": "gzip",
        })
      ).status,
      200,
    );
    const json = {
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "realtime" } }] },
          scopeSpans: [{ spans: [{ traceId: "AB", spanId: "CD", name: "c", kind: 4 }] }],
        },
      ],
    };
    assert.equal((await post(JSON.stringify(json), { "content-type": "application/json" })).status, 200);
    assert.equal((await post(Buffer.from([0x0a, 0x05, 0x01]), { "content-type": "application/x-protobuf" })).status, 400);
    assert.deepEqual(
      rx.spans.map((s) => `${s.service} ${s.name} ${s.kind}`),
      ["tasks-api a 2", "audit b 5", "realtime c 4"],
    );
    assert.deepEqual(rx.stats, { requests: 4, rejected: 1 });
  });
});
