import { CloudflareApiError } from "../errors";
import { parseRateLimitHeaders } from "./rate-limit-headers";
import { retryAfterMs } from "./retry";

/**
 * Keeps one process under Cloudflare's request budget: 1200 requests per 5 minutes per user, after which every
 * call is refused with 429 for the rest of the window
 * (https://developers.cloudflare.com/fundamentals/api/reference/limits/).
 *
 * Two rules, both per connection (base URL + credential):
 * - at most `maxConcurrent` requests in flight, so an engine running 8+ provider calls at once, or a
 *   `Promise.all` of hundreds of lookups, never floods the API;
 * - a budget: the limiter counts what it sends against `quota` per `windowMs`, and trusts the `Ratelimit`
 *   headers (`r` remaining, `t` seconds to reset) whenever a response carries them, since other clients of
 *   the same user spend the same budget. When fewer than `lowWater` requests remain, requests are spaced so
 *   the remainder lasts until the reset; when none remain, or after a 429, requests wait for the reset.
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
  /** Longest wait for the budget; past it `acquire` fails instead of blocking (a deploy should say why it stalls). */
  readonly maxWaitMs: number;
}

/** Cloudflare's published budget, with 8 requests in flight at most. */
export const DEFAULT_LIMITER_OPTIONS: LimiterOptions = { maxConcurrent: 8, quota: 1200, windowMs: 300_000, lowWater: 100, maxWaitMs: 60_000 };

/** Time source and timer, replaceable in tests. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: Clock = { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };

/** A concurrency slot; call `release` exactly once when the request has finished. */
export type Release = () => void;

/** See {@link LimiterOptions}. */
export class RequestLimiter {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private remaining: number;
  private resetAt: number;
  private nextSendAt = 0;

  constructor(
    private readonly options: LimiterOptions = DEFAULT_LIMITER_OPTIONS,
    private readonly clock: Clock = realClock,
  ) {
    this.remaining = options.quota;
    this.resetAt = clock.now() + options.windowMs;
  }

  /** Waits for a free slot and for the budget to allow one more request, then takes both. */
  async acquire(): Promise<Release> {
    await this.slot();
    try {
      await this.budget();
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

  /** Learns from a response: `Ratelimit` headers correct the budget; a 429 spends it until the reset. */
  observe(status: number, headers: Readonly<Record<string, unknown>>): void {
    const now = this.clock.now();
    const { remaining, resetSeconds } = parseRateLimitHeaders(headers);
    if (resetSeconds !== undefined) this.resetAt = now + resetSeconds * 1000;
    // The server's count is the truth: other clients of the same user spend the same budget.
    if (remaining !== undefined) this.remaining = remaining;
    if (status === 429) {
      this.remaining = 0;
      const wait = retryAfterMs(headers, now);
      if (wait !== undefined) this.resetAt = now + wait;
    }
  }

  /** Requests in flight, for tests and diagnostics. */
  get inFlight(): number {
    return this.active;
  }

  private async slot(): Promise<void> {
    if (this.active < this.options.maxConcurrent) {
      this.active++;
      return;
    }
    // The releasing request hands its slot over directly, so `active` stays counted.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private free(): void {
    const next = this.waiting.shift();
    if (next !== undefined) next();
    else this.active--;
  }

  private async budget(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      if (now >= this.resetAt) {
        this.remaining = this.options.quota;
        this.resetAt = now + this.options.windowMs;
      }
      if (this.remaining <= 0) {
        const wait = this.resetAt - now;
        if (wait > this.options.maxWaitMs) {
          throw new CloudflareApiError(
            `Cloudflare's rate limit for this credential is spent and resets in ${Math.ceil(wait / 1000)} s, longer than the ` +
              `${Math.round(this.options.maxWaitMs / 1000)} s this client waits. Cloudflare allows 1200 requests per 5 minutes per user; ` +
              `try again later, or lower the number of lookups running at once.`,
            429,
          );
        }
        await this.clock.sleep(wait);
        continue;
      }
      if (this.remaining < this.options.lowWater) {
        // Spread what is left evenly over the rest of the window.
        const spacing = (this.resetAt - now) / this.remaining;
        const sendAt = Math.max(now, this.nextSendAt);
        this.nextSendAt = sendAt + spacing;
        this.remaining--;
        if (sendAt > now) await this.clock.sleep(sendAt - now);
        return;
      }
      this.remaining--;
      return;
    }
  }
}
