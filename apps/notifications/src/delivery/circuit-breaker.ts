import type { EmailMessage, EmailSender } from "./email.js";

export type CircuitState = "closed" | "open" | "half-open";

/** Thrown without calling the wrapped operation while the circuit is open (or its one trial is running). */
export class CircuitOpenError extends Error {
  constructor(name: string, retryInMs: number) {
    super(`${name} circuit is open after repeated failures; not trying for another ${Math.max(0, Math.ceil(retryInMs / 1000))}s`);
    this.name = "CircuitOpenError";
  }
}

export interface CircuitBreakerOptions {
  /** Named in errors and state-change logs. */
  readonly name: string;
  /** Consecutive failures that open the circuit. @default 5 */
  readonly failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through (half-open). @default 30000 */
  readonly cooldownMs?: number;
  /** Whether an error says the remote side is unhealthy (counts toward opening). @default every error */
  readonly isFailure?: (err: unknown) => boolean;
  /** Called on every state change. */
  readonly onStateChange?: (state: CircuitState, consecutiveFailures: number) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

/**
 * Consecutive-failure circuit breaker: closed until `failureThreshold` failures in a row, then open
 * (every call fails fast with CircuitOpenError) for `cooldownMs`, then half-open: one trial call goes
 * through (others still fail fast); its success closes the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private state: CircuitState = "closed";
  private failures = 0;
  private openedAt = 0;
  private trialRunning = false;
  private readonly threshold: number;
  private readonly cooldownMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: CircuitBreakerOptions) {
    this.threshold = opts.failureThreshold ?? 5;
    this.cooldownMs = opts.cooldownMs ?? 30_000;
    this.now = opts.now ?? Date.now;
    if (!Number.isInteger(this.threshold) || this.threshold < 1)
      throw new RangeError(`failureThreshold: must be an integer >= 1, got ${this.threshold}`);
    if (!(this.cooldownMs > 0)) throw new RangeError(`cooldownMs: must be > 0, got ${this.cooldownMs}`);
  }

  /** The state as of now (an open circuit whose cool-down has passed reads half-open). */
  get current(): CircuitState {
    return this.state === "open" && this.now() - this.openedAt >= this.cooldownMs ? "half-open" : this.state;
  }

  async run<T>(op: () => Promise<T>): Promise<T> {
    if (this.state === "open") {
      const waited = this.now() - this.openedAt;
      if (waited < this.cooldownMs) throw new CircuitOpenError(this.opts.name, this.cooldownMs - waited);
      this.transition("half-open");
    }
    const trial = this.state === "half-open";
    if (trial) {
      if (this.trialRunning) throw new CircuitOpenError(this.opts.name, 0);
      this.trialRunning = true;
    }
    try {
      const result = await op();
      this.failures = 0;
      if (this.state !== "closed") this.transition("closed");
      return result;
    } catch (err) {
      if (this.opts.isFailure?.(err) ?? true) {
        this.failures++;
        if (trial || this.failures >= this.threshold) {
          this.openedAt = this.now();
          this.transition("open");
        }
      } else if (trial) {
        // The remote answered (e.g. rejected one recipient): it is up again.
        this.failures = 0;
        this.transition("closed");
      }
      throw err;
    } finally {
      if (trial) this.trialRunning = false;
    }
  }

  private transition(state: CircuitState): void {
    if (state === this.state) return;
    this.state = state;
    this.opts.onStateChange?.(state, this.failures);
  }
}

/**
 * SMTP replies that reject one message or mailbox (550-553) mean the relay is up: they do not count
 * toward opening the circuit. Connection errors, timeouts, 4xx and other 5xx replies (e.g. 535 bad
 * credentials) do.
 */
export function isSmtpOutage(err: unknown): boolean {
  const code = (err as { responseCode?: unknown } | null)?.responseCode;
  return !(typeof code === "number" && code >= 550 && code <= 553);
}

/**
 * Email sender behind a circuit breaker: while the relay keeps failing, sends fail fast with
 * CircuitOpenError instead of each waiting for a timeout, and the reminder's delivery is retried
 * later like any other failed send.
 */
export function circuitBreakingSender(
  inner: EmailSender,
  opts: Omit<CircuitBreakerOptions, "name" | "isFailure"> & { readonly name?: string },
): EmailSender & { readonly breaker: CircuitBreaker } {
  const breaker = new CircuitBreaker({ name: "smtp", isFailure: isSmtpOutage, ...opts });
  return {
    breaker,
    send: (m: EmailMessage) => breaker.run(() => inner.send(m)),
    close: () => inner.close(),
  };
}
