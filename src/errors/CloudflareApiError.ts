/** One error Cloudflare reported in a response envelope. */
export interface CloudflareErrorDetail {
  /** Cloudflare's numeric error code, e.g. `1419` or `7003`. */
  readonly code: number;
  /** Cloudflare's message for that code. */
  readonly message: string;
}

/**
 * Thrown when the Cloudflare API answered with an error, or with a response this package cannot trust
 * (not an envelope, or a `result` of the wrong shape), after any retries were spent.
 *
 * `status` is the HTTP status of the last attempt (`0` when no response arrived at all: a reset, a timeout).
 * `errors` holds Cloudflare's own error codes and messages, when the response carried any.
 * The message never contains a credential.
 */
export class CloudflareApiError extends Error {
  /** HTTP status of the last attempt, or `0` when the request never got a response. */
  readonly status: number;
  /** Cloudflare's error codes and messages from the response envelope (possibly empty). */
  readonly errors: readonly CloudflareErrorDetail[];

  constructor(
    message: string,
    status: number,
    errors: readonly CloudflareErrorDetail[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "CloudflareApiError";
    this.status = status;
    this.errors = errors;
  }
}
