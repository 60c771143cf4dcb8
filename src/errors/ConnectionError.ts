import { CloudflareApiError } from "./CloudflareApiError";

/**
 * Thrown when no usable answer came back at all: the connection failed, was reset or timed out on every attempt,
 * the response was larger than this client reads, the server's TLS certificate did not verify, or every request
 * slot for the credential stayed busy past the client's longest wait. `status` is `0`.
 */
export class ConnectionError extends CloudflareApiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 0, [], options);
    this.name = "ConnectionError";
  }
}
