/** An in-process SMTP catcher (smtp-server): accepts every message on 127.0.0.1 and keeps it in memory. */
import { SMTPServer } from "smtp-server";

export interface CaughtMail {
  readonly from: string;
  readonly to: readonly string[];
  /** The raw RFC 5322 message. */
  readonly raw: string;
  readonly receivedAt: number;
}

export interface SmtpCatcher {
  readonly port: number;
  readonly messages: readonly CaughtMail[];
  stop(): Promise<void>;
}

export async function startSmtpCatcher(port: number, onMail?: (m: CaughtMail) => void): Promise<SmtpCatcher> {
  const messages: CaughtMail[] = [];
  const server = new SMTPServer({
    // Plain SMTP on loopback, no login: notifications runs with SMTP_TLS=none and SMTP_AUTH=false.
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const env = session.envelope;
        const mail: CaughtMail = {
          from: env.mailFrom ? env.mailFrom.address : "",
          to: env.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
          receivedAt: Date.now(),
        };
        messages.push(mail);
        onMail?.(mail);
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { port, messages, stop: () => new Promise<void>((r) => server.close(() => r())) };
}
