/**
 * Cloudflare's rate-limit headers. Since 2025 every response carries
 * `Ratelimit: "default";r=<remaining>;t=<seconds until reset>` and `Ratelimit-Policy: "<name>";q=<quota>;w=<window>`;
 * older responses used `x-ratelimit-remaining` / `x-ratelimit-reset`. Both forms are read. The policy is not: the
 * limiter needs only what is left and when it resets, and counts its own requests against the documented quota.
 * See https://developers.cloudflare.com/fundamentals/api/reference/limits/
 */

/** What the headers say about the remaining budget; fields are absent when the headers do not say. */
export interface RateLimitState {
  /** Requests left in the current window. */
  remaining?: number;
  /** Seconds until the window resets. */
  resetSeconds?: number;
}

/**
 * Reads the rate-limit headers of one response (header names lower-case, as Node gives them). A remaining count
 * without a reset time is left out: with no window to spread it over, acting on it would invent one (up to five
 * minutes of waiting on `r=0`); the server's next 429, if it comes, is retried like any other.
 */
export function parseRateLimitHeaders(headers: Readonly<Record<string, unknown>>): RateLimitState {
  const state: RateLimitState = {};
  const current = parameters(headers["ratelimit"]);
  const remaining = current.r ?? toNumber(headers["x-ratelimit-remaining"]);
  const reset = current.t ?? toNumber(headers["x-ratelimit-reset"]);
  if (reset !== undefined) {
    state.resetSeconds = reset;
    if (remaining !== undefined) state.remaining = remaining;
  }
  return state;
}

/** Parses the numeric parameters of a structured-field item such as `"default";r=10;t=30`. */
function parameters(value: unknown): Record<string, number | undefined> {
  const result: Record<string, number | undefined> = {};
  if (typeof value !== "string") return result;
  for (const part of value.split(";").slice(1)) {
    const [key, raw] = part.split("=");
    if (key !== undefined && raw !== undefined) result[key.trim()] = toNumber(raw.trim());
  }
  return result;
}

function toNumber(value: unknown): number | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
