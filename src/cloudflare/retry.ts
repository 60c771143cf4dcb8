/**
 * When and how long to wait before retrying a request. Pure functions, so the timing rules are testable
 * without a network. The rules follow Cloudflare's official SDK (retry 408, 429 and 5xx; honour
 * `retry-after-ms`, then `Retry-After` as seconds or an HTTP date), with one deliberate difference: a
 * `Retry-After` longer than `maxRetryAfterMs` is not slept through silently but reported, because a
 * deploy blocked for five minutes by Cloudflare's rate limit should say so instead of hanging.
 */

/** Bounds on retrying one request. */
export interface RetryPolicy {
  /** Retries after the first attempt (so `maxRetries + 1` attempts at most). */
  readonly maxRetries: number;
  /** First backoff step, doubled on every retry. */
  readonly baseDelayMs: number;
  /** Upper bound of one backoff step. */
  readonly maxDelayMs: number;
  /** Longest `Retry-After` this client waits for; a longer one fails the request with an explanation. */
  readonly maxRetryAfterMs: number;
}

/** Five attempts, 0.5 s doubling to at most 8 s between them, and at most 60 s for a `Retry-After`. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

const NON_NEGATIVE_NUMBER = /^\s*\d+(\.\d+)?\s*$/;

/** Statuses worth another attempt: the request may succeed unchanged. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * The wait a response asks for, in milliseconds, or `undefined` when it names none.
 * `retry-after-ms` wins over `retry-after`; the latter is seconds or an HTTP date (RFC 9110, 10.2.3).
 */
export function retryAfterMs(headers: Readonly<Record<string, unknown>>, now: number = Date.now()): number | undefined {
  const precise = String(headers["retry-after-ms"] ?? "");
  if (NON_NEGATIVE_NUMBER.test(precise)) return Number.parseFloat(precise);
  const raw = headers["retry-after"];
  if (typeof raw !== "string" || raw.trim() === "") return undefined;
  if (NON_NEGATIVE_NUMBER.test(raw)) return Number.parseFloat(raw) * 1000;
  // An HTTP date names a weekday or month; Date.parse alone would also take "-5" as a date in 2001.
  if (!/[A-Za-z]{3}/.test(raw)) return undefined;
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with jitter for retry number `retry` (0 for the first retry): a random wait between
 * half and all of `min(base * 2^retry, max)`, so concurrent clients do not retry in lockstep.
 */
export function backoffMs(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.baseDelayMs * 2 ** retry, policy.maxDelayMs);
  return Math.round(ceiling * (0.5 + random() / 2));
}
