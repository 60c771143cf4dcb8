import { ConnectionError, RateLimitError } from "../errors";
import { parseRateLimitHeaders } from "./rate-limit-headers";
import { retryAfterMs } from "./retry";

/**
 * Keeps one process under Cloudflare's request budget: 1200 requests per 5 minutes per user, after which every
 * call is refused with 429 for the rest of the window
 * (https://developers.cloudflare.com/fundamentals/api/reference/limits/).
 *
 * Two rules, both per connection (base URL + credential, see `connection.ts`):
 * - at most `maxConcurrent` requests in flight, so an engine running 8+ provider calls at once, or a
 *   `Promise.all` of hundreds of lookups, never floods the API;
 * - a budget: the limiter counts what it sends against `quota` per `windowMs`, and trusts the `Ratelimit`
 *   headers (`r` remaining, `t` seconds to reset) whenever a response carries them, since other clients of
 *   the same user spend the same budget. When fewer than `lowWater` requests remain, requests are spaced so
 *   the remainder lasts until the reset; when none remain, requests wait for the reset. A 429 stops requests
 *   only for as long as the server said (`Retry-After`, or `Ratelimit` with `r=0`); a bare 429 invents no
 *   window, the caller retries it like a 5xx.
 *
 * No request waits here longer than `maxWaitMs` in all, nor longer for the budget than the bound its caller gives
 * (its deadline: timeoutMs for each attempt it may make): a wait for the budget that would be longer fails at
 * once, a wait for a free slot fails when `maxWaitMs` passes, each with a `ConnectionError` or `RateLimitError` saying how long and
 * why. So every call settles. The slot queue is not held to the caller's bound: it always moves (every request
 * ahead is bounded by its own timeout), and a `Promise.all` of thousands of lookups must queue for longer than one
 * request's timeout.
 */
export interface LimiterOptions {
  /** Requests in flight at once. */
  readonly maxConcurrent: number;
  /** Requests allowed per window (Cloudflare: 1200). */
  readonly quota: number;
  /** Window length in milliseconds (Cloudflare: 300 000). */
  readonly windowMs: number;
  /** Below this many remaining requests, pacing starts. */
  readonly lowWater: number;
  /** Longest any request waits in the limiter, whatever its caller allows (a deploy should say why it stalls). */
  readonly maxWaitMs: number;
}

/** Cloudflare's published budget, with 8 requests in flight at most. */
export const DEFAULT_LIMITER_OPTIONS: LimiterOptions = {
  maxConcurrent: 8,
  quota: 1200,
  windowMs: 300_000,
  lowWater: 100,
  maxWaitMs: 60_000,
};

/** Time source and timers, replaceable in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Calls `callback` after `ms` unless the returned function is called first. */
  timer(ms: number, callback: () => void): () => void;
}

const realClock: Clock = {
  now: Date.now,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  timer: (ms, callback) => {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
  },
};

/** A concurrency slot; call `release` exactly once when the request has finished. */
export type Release = () => void;

interface SlotWaiter {
  grant(): void;
  cancelled: boolean;
}

/** How long a request may wait for the budget, and why that long (for the error message). */
interface WaitLimit {
  readonly deadline: number;
  readonly boundMs: number;
  readonly reason: string;
}

/** Where the current budget figures came from, for the error message. */
type BudgetSource = "headers" | "own count" | "429";

/** See {@link LimiterOptions}. */
export class RequestLimiter {
  private active = 0;
  private waiting: SlotWaiter[] = [];
  private remaining: number;
  private resetAt: number;
  private source: BudgetSource = "own count";
  private nextSendAt = 0;

  /**
   * @param onIdle called whenever the last request in flight finishes and nobody waits, so an owner can forget
   *   the limiter (see {@link RequestLimiter.forgettable}).
   */
  constructor(
    private readonly options: LimiterOptions = DEFAULT_LIMITER_OPTIONS,
    private readonly clock: Clock = realClock,
    private readonly onIdle?: (limiter: RequestLimiter) => void,
  ) {
    this.remaining = options.quota;
    this.resetAt = clock.now() + options.windowMs;
  }

  /**
   * Waits for a free slot and for the budget to allow one more request, then takes both. Waits for the budget
   * at most `budgetWaitMs` (the caller's deadline), and at most the limiter's `maxWaitMs` in all; a longer wait
   * throws a `RateLimitError`.
   */
  async acquire(budgetWaitMs: number = this.options.maxWaitMs): Promise<Release> {
    const overall = this.clock.now() + this.options.maxWaitMs;
    await this.slot();
    const own = this.clock.now() + budgetWaitMs;
    const limit: WaitLimit =
      own <= overall
        ? {
            deadline: own,
            boundMs: budgetWaitMs,
            reason: "the call's deadline: timeoutMs for each attempt it may make",
          }
        : {
            deadline: overall,
            boundMs: this.options.maxWaitMs,
            reason: "the longest this client waits in its limiter",
          };
    try {
      await this.budget(limit);
    } catch (error) {
      this.free();
      throw error;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.free();
    };
  }

  /**
   * Learns from a response: `Ratelimit` headers correct the budget; a 429 stops requests as long as it says. A
   * reset announced further away than one window (Cloudflare's block lasts one window) is taken as one window, so
   * a garbled or hostile header cannot lock a connection out for longer.
   */
  observe(status: number, headers: Readonly<Record<string, unknown>>): void {
    const now = this.clock.now();
    const { remaining, resetSeconds } = parseRateLimitHeaders(headers);
    if (resetSeconds !== undefined) this.resetAt = now + Math.min(resetSeconds * 1000, this.options.windowMs);
    // The server's count is the truth: other clients of the same user spend the same budget.
    if (remaining !== undefined) {
      this.remaining = remaining;
      this.source = "headers";
    }
    const wait = status === 429 ? retryAfterMs(headers, now) : undefined;
    if (wait !== undefined) {
      this.remaining = 0;
      this.resetAt = now + Math.min(wait, this.options.windowMs);
      this.source = "429";
    }
  }

  /** Requests in flight, for tests and diagnostics. */
  get inFlight(): number {
    return this.active;
  }

  /**
   * True when forgetting this limiter loses nothing that matters: nothing is in flight or queued, and no
   * throttle the server announced (a low or spent budget) is still in force.
   */
  get forgettable(): boolean {
    const throttled = this.remaining < this.options.lowWater && this.clock.now() < this.resetAt;
    return this.active === 0 && this.waiting.length === 0 && !throttled;
  }

  /** When the current window ends (ms since the epoch): an owner may check again then. */
  get windowEndsAt(): number {
    return this.resetAt;
  }

  private slot(): Promise<void> {
    if (this.active < this.options.maxConcurrent) {
      this.active++;
      return Promise.resolve();
    }
    // The releasing request hands its slot over directly, so `active` stays counted.
    return new Promise<void>((resolve, reject) => {
      const waiter: SlotWaiter = { grant: () => (cancel(), resolve()), cancelled: false };
      const cancel = this.clock.timer(this.options.maxWaitMs, () => {
        waiter.cancelled = true;
        reject(
          new ConnectionError(
            `Every one of the ${this.options.maxConcurrent} request slots for this credential stayed busy for ` +
              `${seconds(this.options.maxWaitMs)} s, the longest this client waits in its limiter. ` +
              `Run fewer lookups at once.`,
          ),
        );
      });
      this.waiting.push(waiter);
    });
  }

  private free(): void {
    let next = this.waiting.shift();
    while (next?.cancelled === true) next = this.waiting.shift();
    if (next !== undefined) {
      next.grant();
      return;
    }
    this.active--;
    if (this.active === 0) this.onIdle?.(this);
  }

  /** Takes one request from the budget, sleeping until it may go; throws when that is past the limit. */
  private async budget(limit: WaitLimit): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now >= this.resetAt) {
        this.remaining = this.options.quota;
        this.resetAt = now + this.options.windowMs;
        this.source = "own count";
      }
      if (this.remaining <= 0) {
        const wait = this.resetAt - now;
        if (this.resetAt > limit.deadline)
          throw this.tooLong(wait, limit, `is spent (${this.sourceText()}) and resets`);
        await this.clock.sleep(wait);
        continue;
      }
      if (this.remaining >= this.options.lowWater) {
        this.remaining--;
        return;
      }
      // Spread what is left evenly over the rest of the window.
      const spacing = (this.resetAt - now) / this.remaining;
      const sendAt = Math.max(now, this.nextSendAt);
      if (sendAt > limit.deadline) {
        const left = `${this.remaining} request${this.remaining === 1 ? "" : "s"}`;
        const why =
          `has ${left} left for the next ${seconds(this.resetAt - now)} s (${this.sourceText()}), ` +
          `which this client spreads evenly over that time; the next free turn comes`;
        throw this.tooLong(sendAt - now, limit, why);
      }
      this.nextSendAt = sendAt + spacing;
      this.remaining--;
      if (sendAt > now) await this.clock.sleep(sendAt - now);
      return;
    }
  }

  private tooLong(waitMs: number, limit: WaitLimit, why: string): RateLimitError {
    const wait = seconds(waitMs);
    return new RateLimitError(
      `Cloudflare's rate limit for this credential ${why} in ${wait} s: this request would wait ${wait} s, ` +
        `longer than the ${seconds(limit.boundMs)} s it may wait (${limit.reason}). Cloudflare allows ` +
        `1200 requests per 5 minutes per user; try again later, or run fewer lookups at once.`,
      { retryAfterMs: waitMs },
    );
  }

  private sourceText(): string {
    if (this.source === "headers") return "from Cloudflare's Ratelimit headers";
    if (this.source === "429") return "the server answered 429 with a time to wait";
    return `this client's own count of ${this.options.quota} per ${seconds(this.options.windowMs)} s`;
  }
}

function seconds(ms: number): number {
  return Math.ceil(ms / 1000);
}
