/**
 * A WebSocket client made of raw bytes over net.Socket, for frames a well-behaved client (ws) refuses
 * to send: unmasked client frames, reserved bits, unknown opcodes, invalid UTF-8.
 */
import { randomBytes } from "node:crypto";
import net from "node:net";

export interface FrameSpec {
  readonly opcode: number;
  readonly payload: Buffer;
  /** @default true */
  readonly fin?: boolean;
  /** @default false */
  readonly rsv1?: boolean;
  /** Client frames must be masked (RFC 6455 5.1). @default true */
  readonly mask?: boolean;
}

/** Encodes one frame (RFC 6455 5.2). */
export function encodeFrame(f: FrameSpec): Buffer {
  const mask = f.mask ?? true;
  const len = f.payload.length;
  const head = [((f.fin ?? true) ? 0x80 : 0) | (f.rsv1 ? 0x40 : 0) | (f.opcode & 0x0f)];
  const maskBit = mask ? 0x80 : 0;
  let ext: Buffer;
  if (len < 126) {
    head.push(maskBit | len);
    ext = Buffer.alloc(0);
  } else if (len < 65536) {
    head.push(maskBit | 126);
    ext = Buffer.alloc(2);
    ext.writeUInt16BE(len);
  } else {
    head.push(maskBit | 127);
    ext = Buffer.alloc(8);
    ext.writeBigUInt64BE(BigInt(len));
  }
  if (!mask) return Buffer.concat([Buffer.from(head), ext, f.payload]);
  const key = randomBytes(4);
  const body = Buffer.from(f.payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([Buffer.from(head), ext, key, body]);
}

export interface RawClient {
  readonly socket: net.Socket;
  send(frame: Buffer): void;
  /** Resolves with the server's close frame (code and reason), or code 1006 when the connection ended without one. */
  readonly closed: Promise<{ code: number; reason: string }>;
}

/** Performs the opening handshake (optionally offering subprotocols) and resolves once the server answered 101. */
export function rawConnect(port: number, path: string, protocols: readonly string[] = []): Promise<RawClient> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let settleClose: (v: { code: number; reason: string }) => void = () => undefined;
    const closed = new Promise<{ code: number; reason: string }>((r) => (settleClose = r));
    const client: RawClient = { socket, send: (frame) => socket.write(frame), closed };
    socket.on("error", () => settleClose({ code: 1006, reason: "" }));
    socket.on("close", () => {
      if (!upgraded) reject(new Error(`connection closed before the upgrade: ${buf.toString("latin1").slice(0, 200)}`));
      settleClose({ code: 1006, reason: "" });
    });
    socket.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (!upgraded) {
        const end = buf.indexOf("\r\n\r\n");
        if (end < 0) return;
        const head = buf.subarray(0, end).toString("latin1");
        buf = buf.subarray(end + 4);
        if (!/^HTTP\/1\.1 101 /.test(head)) {
          socket.destroy();
          return reject(new Error(`upgrade refused: ${head.split("\r\n")[0]}`));
        }
        upgraded = true;
        resolve(client);
      }
      // Server frames are unmasked; only the close frame matters here.
      while (buf.length >= 2) {
        const opcode = buf[0]! & 0x0f;
        let len = buf[1]! & 0x7f;
        let offset = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          offset = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          offset = 10;
        }
        if (buf.length < offset + len) return;
        const payload = buf.subarray(offset, offset + len);
        buf = buf.subarray(offset + len);
        if (opcode === 0x8)
          settleClose({ code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() });
      }
    });
    const key = randomBytes(16).toString("base64");
    socket.write(
      [
        `GET ${path} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Key: ${key}`,
        "Sec-WebSocket-Version: 13",
        ...(protocols.length ? [`Sec-WebSocket-Protocol: ${protocols.join(", ")}`] : []),
        "",
        "",
      ].join("\r\n"),
    );
  });
}
