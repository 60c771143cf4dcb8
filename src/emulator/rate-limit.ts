import type { RateLimitPolicy } from "./types";

/** What the limiter decided for one request, and the numbers the rate-limit headers carry. */
export interface RateLimitDecision {
  allowed: boolean;
  /** Requests left in the current window after this one (`r` of `Ratelimit`). */
  remaining: number;
  /** Whole seconds until the window ends, rounded up (`t` of `Ratelimit`, and `Retry-After` on a 429). */
  resetSeconds: number;
}

/**
 * Cloudflare's global API limit as a fixed window that starts with the first request: once the quota is used up,
 * every request is refused until the window ends ("blocked for the next five minutes"). Refused requests do not
 * count. One counter for the whole emulator, whatever the credential: upstream counts per user, and tests use one.
 */
export class RateLimiter {
  private windowStart: number | undefined;
  private used = 0;

  constructor(
    private policy: RateLimitPolicy,
    private readonly now: () => number = Date.now,
  ) {}

  /** The active policy. */
  get current(): RateLimitPolicy {
    return this.policy;
  }

  /** Counts one request against the window and says whether it may proceed. */
  take(): RateLimitDecision {
    return this.decide(true);
  }

  /** The current state without counting a request (for responses the limiter does not govern, such as faults). */
  peek(): RateLimitDecision {
    return this.decide(false);
  }

  private decide(count: boolean): RateLimitDecision {
    const now = this.now();
    const windowMs = this.policy.windowSeconds * 1000;
    if (this.windowStart !== undefined && now >= this.windowStart + windowMs) {
      this.windowStart = undefined;
      this.used = 0;
    }
    if (count && this.windowStart === undefined) this.windowStart = now;
    const allowed = this.used < this.policy.limit;
    if (allowed && count) this.used += 1;
    return {
      allowed,
      remaining: this.policy.limit - this.used,
      // Rounded up so that a client waiting `t` seconds never arrives before the window has ended.
      resetSeconds: Math.max(1, Math.ceil(((this.windowStart ?? now) + windowMs - now) / 1000)),
    };
  }

  /** Replaces the policy and starts counting afresh. */
  reset(policy: RateLimitPolicy): void {
    this.policy = policy;
    this.windowStart = undefined;
    this.used = 0;
  }
}

/** The `Ratelimit` and `Ratelimit-Policy` headers (IETF draft syntax, as Cloudflare sends them since 2025). */
export function rateLimitHeaders(
  policy: RateLimitPolicy,
  decision: Pick<RateLimitDecision, "remaining" | "resetSeconds">,
): Record<string, string> {
  return {
    Ratelimit: `"default";r=${decision.remaining};t=${decision.resetSeconds}`,
    "Ratelimit-Policy": `"default";q=${policy.limit};w=${policy.windowSeconds}`,
  };
}
