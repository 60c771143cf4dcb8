import { CloudflareApiError, type CloudflareErrorDetail } from "./CloudflareApiError";

/**
 * Thrown when Cloudflare's rate limit stands in the way: the API kept answering 429 after the retries were spent,
 * it asked for a longer wait than this client accepts, or the client's own limiter saw that the budget for this
 * credential would not allow the request within its deadline (then no request was sent, and `status` is 429 all
 * the same). `retryAfterMs` says how long the wait would have been, when that is known.
 */
export class RateLimitError extends CloudflareApiError {
  /** How long Cloudflare (or the budget it announced) asked to wait, in milliseconds, when known. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    options: { status?: number; errors?: readonly CloudflareErrorDetail[]; retryAfterMs?: number } = {},
  ) {
    super(message, options.status ?? 429, options.errors ?? []);
    this.name = "RateLimitError";
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}
