import nodemailer from "nodemailer";

export interface EmailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
  close(): void;
}

export interface SmtpOptions {
  readonly host: string;
  readonly port: number;
  /** implicit = TLS from the first byte (465); starttls = upgrade required (587); none = plain (loopback tests only). */
  readonly tls: "implicit" | "starttls" | "none";
  /** From the Dapr secret store (catalog secretNames.smtpUsername / smtpPassword). */
  readonly username?: string;
  readonly password?: string;
  readonly from: string;
  /** @default 10000 */
  readonly timeoutMs?: number;
}

/** Email over SMTP with nodemailer (one pooled transport per process). */
export function smtpSender(opts: SmtpOptions): EmailSender {
  const timeout = opts.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: opts.host,
    port: opts.port,
    secure: opts.tls === "implicit",
    requireTLS: opts.tls === "starttls",
    ignoreTLS: opts.tls === "none",
    ...(opts.username ? { auth: { user: opts.username, pass: opts.password ?? "" } } : {}),
    pool: true,
    maxConnections: 3,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  return {
    async send(m) {
      await transport.sendMail({ from: opts.from, to: m.to, subject: m.subject, text: m.text });
    },
    close: () => transport.close(),
  };
}
