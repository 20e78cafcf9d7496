import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { after, before, beforeEach, describe, it } from "node:test";
import { CircuitBreaker, CircuitOpenError, circuitBreakingSender, isSmtpOutage, smtpSender, type CircuitState } from "../src/index.js";
import { startSmtp, type TestSmtp } from "./support/smtp.js";

const credentials = { username: "mailer", password: "s3cret" };
const message = (n: number) => ({ to: "user@example.com", subject: `Reminder ${n}`, text: `body ${n}` });

let smtp: TestSmtp;
before(async () => {
  smtp = await startSmtp(credentials);
});
after(() => smtp.close());
beforeEach(() => {
  smtp.mails.length = 0;
  smtp.failNext = 0;
});

/** A sender to the test relay behind a breaker with a hand-driven clock. */
function breakingSender(port: number, opts: { failureThreshold: number; cooldownMs: number }) {
  const clock = { t: 1_000_000 };
  const states: CircuitState[] = [];
  const inner = smtpSender({ host: "127.0.0.1", port, tls: "none", from: "tasks@localhost", ...credentials, timeoutMs: 2000 });
  const sender = circuitBreakingSender(inner, { ...opts, now: () => clock.t, onStateChange: (s) => states.push(s) });
  return { sender, clock, states };
}

describe("email circuit breaker against a real SMTP server", () => {
  it("opens after N consecutive refusals, then fails fast without touching the relay", async () => {
    const { sender, states } = breakingSender(smtp.port, { failureThreshold: 3, cooldownMs: 30_000 });
    try {
      smtp.failNext = 100;
      for (let i = 0; i < 3; i++)
        await assert.rejects(sender.send(message(i)), (e: Error & { responseCode?: number }) => e.responseCode === 451);
      assert.equal(smtp.failNext, 97, "each of the first three sends reached the relay");
      assert.deepEqual(states, ["open"]);
      await assert.rejects(sender.send(message(4)), {
        name: "CircuitOpenError",
        message: "smtp circuit is open after repeated failures; not trying for another 30s",
      });
      await assert.rejects(sender.send(message(5)), CircuitOpenError);
      assert.equal(smtp.failNext, 97, "an open circuit does not call the relay");
      assert.equal(smtp.mails.length, 0);
    } finally {
      sender.close();
    }
  });

  it("after the cool-down lets one trial through: success closes the circuit and mail flows again", async () => {
    const { sender, clock, states } = breakingSender(smtp.port, { failureThreshold: 2, cooldownMs: 10_000 });
    try {
      smtp.failNext = 2;
      for (let i = 0; i < 2; i++) await assert.rejects(sender.send(message(i)));
      clock.t += 9_999;
      await assert.rejects(sender.send(message(2)), CircuitOpenError);
      clock.t += 1;
      assert.equal(sender.breaker.current, "half-open");
      await sender.send(message(3));
      await sender.send(message(4));
      assert.deepEqual(
        smtp.mails.map((m) => m.subject),
        ["Reminder 3", "Reminder 4"],
      );
      assert.deepEqual(states, ["open", "half-open", "closed"]);
    } finally {
      sender.close();
    }
  });

  it("re-opens for a full cool-down when the trial fails, and fails fast for concurrent sends during the trial", async () => {
    const { sender, clock, states } = breakingSender(smtp.port, { failureThreshold: 2, cooldownMs: 10_000 });
    try {
      smtp.failNext = 3;
      for (let i = 0; i < 2; i++) await assert.rejects(sender.send(message(i)));
      clock.t += 10_000;
      const trial = sender.send(message(2));
      await assert.rejects(sender.send(message(3)), CircuitOpenError, "only one trial at a time");
      await assert.rejects(trial, (e: Error & { responseCode?: number }) => e.responseCode === 451);
      assert.equal(smtp.failNext, 0);
      assert.deepEqual(states, ["open", "half-open", "open"]);
      clock.t += 5_000;
      await assert.rejects(sender.send(message(4)), { message: "smtp circuit is open after repeated failures; not trying for another 5s" });
      clock.t += 5_000;
      await sender.send(message(5));
      assert.deepEqual(
        smtp.mails.map((m) => m.subject),
        ["Reminder 5"],
      );
    } finally {
      sender.close();
    }
  });

  it("counts only consecutive failures: a success in between resets the count", async () => {
    const { sender } = breakingSender(smtp.port, { failureThreshold: 2, cooldownMs: 10_000 });
    try {
      smtp.failNext = 1;
      await assert.rejects(sender.send(message(0)));
      await sender.send(message(1));
      smtp.failNext = 1;
      await assert.rejects(sender.send(message(2)));
      assert.equal(sender.breaker.current, "closed");
      await sender.send(message(3));
      assert.equal(smtp.mails.length, 2);
    } finally {
      sender.close();
    }
  });

  it("opens when the relay refuses connections", async () => {
    // A port that accepts nothing: bind, note it, close.
    const probe: Server = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((r) => probe.close(() => r()));
    const { sender } = breakingSender(port, { failureThreshold: 2, cooldownMs: 10_000 });
    try {
      for (let i = 0; i < 2; i++)
        await assert.rejects(sender.send(message(i)), (e: Error & { code?: string }) => e.code === "ESOCKET" || e.code === "ECONNECTION");
      assert.equal(sender.breaker.current, "open");
      await assert.rejects(sender.send(message(2)), CircuitOpenError);
    } finally {
      sender.close();
    }
  });
});

describe("circuit breaker rules", () => {
  it("does not count mailbox rejections (550-553) as an outage", async () => {
    assert.equal(isSmtpOutage(Object.assign(new Error("no such user"), { responseCode: 550 })), false);
    assert.equal(isSmtpOutage(Object.assign(new Error("auth failed"), { responseCode: 535 })), true);
    assert.equal(isSmtpOutage(Object.assign(new Error("later"), { responseCode: 451 })), true);
    assert.equal(isSmtpOutage(new Error("connect ECONNREFUSED")), true);
    const b = new CircuitBreaker({ name: "smtp", failureThreshold: 1, isFailure: isSmtpOutage });
    await assert.rejects(b.run(() => Promise.reject(Object.assign(new Error("no such user"), { responseCode: 550 }))));
    assert.equal(b.current, "closed");
  });

  it("validates its options, naming the option", () => {
    assert.throws(() => new CircuitBreaker({ name: "x", failureThreshold: 0 }), {
      message: "failureThreshold: must be an integer >= 1, got 0",
    });
    assert.throws(() => new CircuitBreaker({ name: "x", cooldownMs: 0 }), { message: "cooldownMs: must be > 0, got 0" });
  });
});
