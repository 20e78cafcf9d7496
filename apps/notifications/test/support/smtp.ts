import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  readonly from: string;
  readonly to: readonly string[];
  readonly raw: string;
  readonly subject: string;
  /** The text body, quoted-printable decoded. */
  readonly text: string;
}

export interface TestSmtp {
  readonly port: number;
  readonly mails: ReceivedMail[];
  /** Reject the next N messages with 451 (a transient SMTP failure). */
  failNext: number;
  close(): Promise<void>;
}

function decodeQuotedPrintable(s: string): string {
  return Buffer.from(
    s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))),
    "latin1",
  ).toString("utf8");
}

/** A real SMTP server (smtp-server) on loopback that requires AUTH PLAIN/LOGIN with the given credentials. */
export async function startSmtp(credentials: { username: string; password: string }): Promise<TestSmtp> {
  const state = { mails: [] as ReceivedMail[], failNext: 0 };
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === credentials.username && auth.password === credentials.password) cb(null, { user: auth.username });
      else cb(new Error("Invalid username or password"));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (state.failNext > 0) {
          state.failNext--;
          const err = new Error("Try again later") as Error & { responseCode: number };
          err.responseCode = 451;
          cb(err);
          return;
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const [head = "", ...rest] = raw.split(/\r?\n\r?\n/);
        const subject = /^Subject: (.*)$/m.exec(head)?.[1] ?? "";
        const qp = /Content-Transfer-Encoding: quoted-printable/i.test(head);
        const body = rest.join("\r\n\r\n").trim();
        state.mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          subject,
          text: qp ? decodeQuotedPrintable(body) : body,
        });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as AddressInfo;
  const smtp = state as TestSmtp;
  Object.assign(smtp, { port, close: () => new Promise<void>((r) => server.close(() => r())) });
  return smtp;
}
